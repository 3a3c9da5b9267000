import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropDatabase, endpointsFromEnv, freePort, namespacedDatabase, readRunFile, repoRoot, tcpOpen } from '@emporium/devkit/platform';

/**
 * `npm run dev` as a developer runs it: a child process that prints when the
 * platform is up, refuses a second copy, and stops every child on one Ctrl-C.
 */
const root = repoRoot(__dirname);

interface Runner {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const NAMESPACE = 'runner-test';

function startRunner(env: Record<string, string>): Runner {
  let out = '';
  const child = spawn(process.execPath, [join(root, 'scripts', 'dev.mjs')], { cwd: root, env: { ...process.env, EMPORIUM_SEED: 'off', EMPORIUM_NAMESPACE: NAMESPACE, EMPORIUM_FRESH: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function until(what: string, check: () => boolean, ms: number, runner: Runner): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (runner.child.exitCode !== null) throw new Error(`${what}: the runner exited with ${runner.child.exitCode}; it said:\n${runner.output()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${ms} ms; runner said:\n${runner.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Processes whose command line mentions this checkout's Dapr binaries or infra scripts. */
function childrenOf(pid: number): Promise<string> {
  return new Promise((resolve) => {
    const ps = spawn('ps', ['-o', 'pid=,args=', '--ppid', String(pid)]);
    let out = '';
    ps.stdout.on('data', (c: Buffer) => (out += c.toString()));
    ps.on('exit', () => resolve(out.trim()));
  });
}

/** Alive and not a zombie (a killed orphan may wait for a reaper that never comes in a container). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** readerGone: whoever read the runner's output is gone before the Ctrl-C (a closed terminal, an exited benchmark). */
async function upThenCtrlC(env: Record<string, string>, expectProfile: string, expectInfra: RegExp[], readerGone = false): Promise<void> {
  const runner = startRunner(env);
  try {
    await until('platform up', () => /Emporium is up/.test(runner.output()), 360_000, runner);
    expect(runner.output()).toContain(`profile: ${expectProfile}`);
    for (const re of expectInfra) expect(runner.output()).toMatch(re);
    const kids = await childrenOf(runner.child.pid!);
    expect(kids).toMatch(/placement/);
    expect(kids).toMatch(/scheduler/);
    expect(kids).toMatch(/sentry/);
    // every app of dapr.yaml runs with its own sidecar, and answers ready
    const apps = readRunFile(root).apps;
    expect(kids.match(/daprd/g) ?? []).toHaveLength(apps.length);
    for (const app of apps) {
      expect(kids).toContain(`--app-id ${app.appID}`);
      expect((await fetch(`http://127.0.0.1:${app.appPort}/readyz`)).status).toBe(200);
    }

    // a second runner in the same checkout is refused with a clear message
    const second = startRunner(env);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/already running/);

    if (readerGone) {
      // its next line ("SIGINT: stopping…") fails with EPIPE: the runner must still stop everything
      runner.child.stdout!.destroy();
      runner.child.stderr!.destroy();
    }
    const stoppedAt = Date.now();
    runner.child.kill('SIGINT');
    expect(await runner.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    for (const line of kids.split('\n')) {
      const pid = Number(line.trim().split(/\s+/)[0]);
      expect(running(pid)).toBe(false); // no orphan left
    }
  } finally {
    runner.child.kill('SIGKILL');
  }
}

describe('npm run dev', () => {
  // the runner's own database, topics and scheduler data: never the developer's
  afterAll(async () => {
    await dropDatabase(namespacedDatabase(endpointsFromEnv().postgres, NAMESPACE)).catch(() => undefined);
  });

  it('when the standard services answer, then it runs the services profile and stops cleanly on Ctrl-C', async () => {
    const [placement, scheduler, sentry] = [await freePort(), await freePort(), await freePort()];
    await upThenCtrlC({ EMPORIUM_PLACEMENT_PORT: String(placement), EMPORIUM_SCHEDULER_PORT: String(scheduler), EMPORIUM_SENTRY_PORT: String(sentry) }, 'services', []);
    // on a fresh clone this is the first start of all: the runner builds web first (`next build`, about
    // two minutes here), so jest's 120 s would abandon the test with the runner still up and fail the rest
  }, 400_000);

  it('when nothing answers, then it starts embedded PostgreSQL and an MQTT broker and stops them too, even with nobody reading its output', async () => {
    const [pg, mqtt, placement, scheduler, sentry] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    await upThenCtrlC(
      {
        EMPORIUM_PROFILE: 'embedded',
        EMPORIUM_POSTGRES_URL: `postgres://postgres@127.0.0.1:${pg}/emporium`,
        EMPORIUM_MQTT_URL: `tcp://127.0.0.1:${mqtt}`,
        EMPORIUM_PLACEMENT_PORT: String(placement),
        EMPORIUM_SCHEDULER_PORT: String(scheduler),
        EMPORIUM_SENTRY_PORT: String(sentry),
      },
      'embedded',
      [/starting embedded PostgreSQL/, /starting in-process MQTT broker/],
      true,
    );
    expect(await tcpOpen('127.0.0.1', pg)).toBe(false);
    expect(await tcpOpen('127.0.0.1', mqtt)).toBe(false);
  }, 400_000);

  it('when a runner was killed outright, then the next one stops what it left and starts', async () => {
    const env = { EMPORIUM_PLACEMENT_PORT: String(await freePort()), EMPORIUM_SCHEDULER_PORT: String(await freePort()), EMPORIUM_SENTRY_PORT: String(await freePort()) };
    const first = startRunner(env);
    await until('platform up', () => /Emporium is up/.test(first.output()), 180_000, first);
    const left = await childrenOf(first.child.pid!);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startRunner(env);
    try {
      await until('platform up again', () => /Emporium is up/.test(second.output()), 180_000, second);
      expect(second.output()).toMatch(/left by a runner that was killed/);
      for (const line of left.split('\n')) {
        const pid = Number(line.trim().split(/\s+/)[0]);
        expect(running(pid)).toBe(false);
      }
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    } finally {
      second.child.kill('SIGKILL');
    }
    // two starts of the whole platform, each given up to 180 s
  }, 400_000);
});
