import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, relative, resolve } from 'node:path';
import { PlatformEvents, deadLetterTopic } from '@emporium/contracts';
import { ensureDatabase } from '@emporium/kit';
import { databaseOf, dropDatabase, namespacedDatabase } from './databases';
import { startControlPlane, type ControlPlane } from './control-plane';
import { chooseProfile, componentEnv, endpointsFromEnv, hostPort, reachable, type Endpoints, type ProfileName } from './infrastructure';
import { provisionStreams } from './jetstream';
import { freePort, httpStatus, takenBy, tcpOpen, waitFor } from './ports';
import { spawnManaged, type ManagedProcess } from './processes';
import { appDir, controlPlaneFor, readRunFile } from './run-file';
import { ensureSecretsFile, readSecrets } from './secrets';
import { declaredOverrides, externalDir, externalEnv, readExternals } from './externals';
import { startSidecar, type SidecarProcess } from './sidecar-process';
import { daprBinaries } from './repo';
import { newToken, securityOff, startSentry, writeAppConfig, type Sentry } from './security';

/**
 * `npm run dev`: the whole platform on one machine. Chooses infrastructure,
 * starts what is missing of it (embedded PostgreSQL, an in-process MQTT
 * broker), placement and scheduler, then every app of dapr.yaml with its
 * sidecar; waits until all are ready and prints where they are. One Ctrl-C
 * stops every child; a second runner in the same checkout is refused.
 */

export interface RunnerOptions {
  root: string;
  env?: NodeJS.ProcessEnv;
  /** Prints prefixed lines; tests pass their own sink. */
  print?: (line: string) => void;
  /** Receives `stop` at once, so a Ctrl-C during start-up stops what has started so far. */
  onStop?: (stop: () => Promise<void>) => void;
}

export interface RunningPlatform {
  profile: ProfileName;
  endpoints: Endpoints;
  stop(): Promise<void>;
}

const STOP_BUDGET_MS = 15_000;
// below the ephemeral port range, unlike Dapr's own defaults (50005, 50006)
const DEFAULT_PLACEMENT_PORT = 3690;
const DEFAULT_CONTROL_PORT = 3698;

interface ControlOps {
  list(): { appId: string; running: boolean; sidecarRunning: boolean }[];
  /** false: no such app */
  kill(appId: string, sidecarOnly: boolean): Promise<boolean>;
  start(appId: string): Promise<boolean>;
  /** placement, scheduler, sentry, and the infrastructure this runner started itself (embedded PostgreSQL, the MQTT broker) */
  platform(): { name: string; running: boolean }[];
  killPlatform(name: string): Promise<boolean>;
  startPlatform(name: string): Promise<boolean>;
}

/**
 * The runner's control port, on loopback only (tests, `npm run platform`, the chaos suite):
 * GET /apps lists the apps; POST /apps/<id>/kill kills an app and its sidecar at once (no
 * drain, as a crash); POST /apps/<id>/kill-sidecar kills the sidecar alone; POST
 * /apps/<id>/start starts whichever of the two is down on the same ports and answers once
 * the app is ready. GET /platform lists placement, scheduler, sentry and the infrastructure
 * the runner started itself; POST /platform/<name>/kill and /start do the same for them.
 */
function startControl(port: number, ops: ControlOps): Promise<Server> {
  const usage = 'GET /apps, POST /apps/<app>/kill|kill-sidecar|start, GET /platform, POST /platform/<name>/kill|start';
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const answer = (done: Promise<boolean>, found: Record<string, string>, missing: string): void => {
      done.then(
        (ok) => (ok ? send(200, found) : send(404, { error: missing })),
        (err: unknown) => send(500, { error: String(err) }),
      );
    };
    const app = /^\/apps(?:\/([a-z][a-z0-9-]*)\/(kill|kill-sidecar|start))?$/.exec(req.url ?? '');
    const part = /^\/platform(?:\/([a-z][a-z0-9-]*)\/(kill|start))?$/.exec(req.url ?? '');
    const m = app ?? part;
    if (!m) return send(404, { error: usage });
    if (!m[1]) return req.method === 'GET' ? send(200, { items: app ? ops.list() : ops.platform() }) : send(405, { error: 'GET only' });
    if (req.method !== 'POST') return send(405, { error: 'POST only' });
    const [, name, what] = m as unknown as [string, string, string];
    if (app) return answer(what === 'start' ? ops.start(name) : ops.kill(name, what === 'kill-sidecar'), { appId: name, done: what }, `no app ${name}`);
    return answer(what === 'start' ? ops.startPlatform(name) : ops.killPlatform(name), { name, done: what }, `no ${name} here (${ops.platform().map((p) => p.name).join(', ')})`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
const DEFAULT_SCHEDULER_PORT = 3691;
const DEFAULT_SENTRY_PORT = 3692;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class AlreadyRunningError extends Error {}

interface LockFile {
  pid: number;
  startedAt: string;
  /** Children by pid and kernel start time, to clean up after a runner that was killed. */
  children: { pid: number; started: string; name: string }[];
}

/**
 * The kernel's start time of a process (field 22 of /proc/<pid>/stat): with
 * the pid it names one process for good, even after a retitle (next-server)
 * or a pid reuse.
 */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function runningProcess(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * One runner per checkout: the lock names the pid that holds it and its
 * children. A lock left by a runner that was killed (no Ctrl-C) is taken
 * over, and the children it left behind are stopped first.
 */
async function takeLock(stateDir: string, print: (line: string) => void): Promise<{ release(): void; record(children: ManagedProcess[]): void }> {
  const lock = join(stateDir, 'dev.lock');
  if (existsSync(lock)) {
    const held = JSON.parse(readFileSync(lock, 'utf8')) as Partial<LockFile>;
    if (held.pid && pidAlive(held.pid) && held.pid !== process.pid) {
      throw new AlreadyRunningError(
        `Emporium is already running from this checkout (pid ${held.pid}, since ${held.startedAt ?? '?'}). Stop it with Ctrl-C in its terminal, or: kill ${held.pid}`,
      );
    }
    const leftovers = (held.children ?? []).filter((child) => startTime(child.pid) === child.started);
    for (const child of leftovers) {
      print(`stopping ${child.name} (pid ${child.pid}) left by a runner that was killed`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        process.kill(child.pid, 'SIGKILL');
      }
    }
    // their ports are free only once they are gone (or zombies nobody reaps)
    await waitFor('leftover processes to end', () => Promise.resolve(leftovers.every((c) => !runningProcess(c.pid))), 10_000);
  }
  const state: LockFile = { pid: process.pid, startedAt: new Date().toISOString(), children: [] };
  writeFileSync(lock, JSON.stringify(state));
  return {
    release: () => rmSync(lock, { force: true }),
    record(children) {
      state.children = children.flatMap((c) => {
        const started = c.child.pid ? startTime(c.child.pid) : undefined;
        return c.child.pid && started ? [{ pid: c.child.pid, started, name: c.name }] : [];
      });
      writeFileSync(lock, JSON.stringify(state));
    },
  };
}

const colours = [36, 33, 35, 32, 34, 91, 96, 93, 95, 92];

export async function startPlatform(opts: RunnerOptions): Promise<RunningPlatform> {
  const env = opts.env ?? process.env;
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const root = opts.root;
  // EMPORIUM_STATE_DIR: a platform's run state (lock, tokens, logs, credentials, embedded data) apart
  // from the checkout's .emporium, e.g. a second platform in a network namespace of its own
  const stateDir = env.EMPORIUM_STATE_DIR ? resolve(env.EMPORIUM_STATE_DIR) : join(root, '.emporium');
  const logDir = join(stateDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const lock = await takeLock(stateDir, print);

  const runFile = readRunFile(root);
  // stopped in this order: apps drain first, then their sidecars, then control plane and infrastructure
  const apps: ManagedProcess[] = [];
  const sidecars: SidecarProcess[] = [];
  const infra: ManagedProcess[] = [];
  const controlPlaneProcesses: ManagedProcess[] = [];
  let controlPlane: ControlPlane | undefined;
  let colour = 0;
  const prefixed = (name: string) => {
    const c = colours[colour++ % colours.length]!;
    const tag = `\x1b[${c}m${name.padEnd(22)}\x1b[0m|`;
    return (line: string) => print(`${tag} ${line}`);
  };

  const state = { stopped: false };
  let control: Server | undefined;
  const stop = async () => {
    state.stopped = true;
    control?.close();
    const deadline = setTimeout(() => {
      for (const child of [...apps, ...sidecars, ...controlPlaneProcesses, ...infra]) void child.kill();
    }, STOP_BUDGET_MS - 1_000);
    deadline.unref();
    // sidecars first, while their apps still answer: a stopping daprd deactivates its actors and may fire a
    // last reminder, both calls to its app (the app stopped first, each was an error line in the sidecar's log)
    await Promise.all(sidecars.map((c) => c.stop(6_000)));
    await Promise.all(apps.map((c) => c.stop(8_000)));
    await Promise.all(controlPlaneProcesses.map((c) => c.stop(5_000)));
    await Promise.all(infra.map((c) => c.stop(5_000)));
    clearTimeout(deadline);
    rmSync(join(stateDir, 'dapr-tokens.json'), { force: true });
    rmSync(join(stateDir, 'endpoints.json'), { force: true });
    lock.release();
  };

  opts.onStop?.(stop);
  /** Between start-up steps: give up when a stop came meanwhile. */
  const checkpoint = () => {
    if (state.stopped) throw new AlreadyRunningError('stopped while starting');
  };
  try {
    const choice = await chooseProfile(env);
    const profile = choice.profile;
    const endpoints = endpointsFromEnv(env);
    print(`profile: ${profile} (${choice.reason})`);
    // a namespace (the e2e suite's, a benchmark's) has a database, topics and scheduler data of its own
    const namespace = env.EMPORIUM_NAMESPACE || undefined;
    if (namespace && !/^[a-z][a-z0-9-]{0,31}$/.test(namespace)) throw new Error(`EMPORIUM_NAMESPACE=${namespace}: lower-case letters, digits and dashes, at most 32`);
    endpoints.postgres = namespacedDatabase(endpoints.postgres, namespace);
    if (namespace) print(`namespace ${namespace}: database ${databaseOf(endpoints.postgres)}, topics ${namespace}.*`);

    if (profile === 'embedded') {
      // EMPORIUM_OWN_INFRA=1: a PostgreSQL and a broker of this platform's own even when the machine's answer
      // (the chaos suite kills them; never the machine's shared services)
      const own = env.EMPORIUM_OWN_INFRA === '1';
      if (own || !(await reachable(endpoints.postgres))) {
        const { port } = hostPort(endpoints.postgres);
        const pgPort = own ? await freePort() : env.EMPORIUM_POSTGRES_URL ? port : 54329;
        const dataDir = join(stateDir, own && namespace ? `postgres-${namespace}` : 'postgres');
        endpoints.postgres = `postgres://postgres:postgres@127.0.0.1:${pgPort}/${databaseOf(endpoints.postgres)}`;
        print(`starting embedded PostgreSQL on ${pgPort} (data in ${relative(root, dataDir)})`);
        const pg = spawnManaged({
          name: 'postgres',
          command: process.execPath,
          args: [join(root, 'scripts/infra/embedded-postgres.mjs'), '--dir', dataDir, '--port', String(pgPort)],
          logFile: join(logDir, 'postgres.log'),
          onLine: prefixed('postgres'),
          detached: true,
        });
        infra.push(pg);
        await waitFor('embedded PostgreSQL', () => tcpOpen('127.0.0.1', pgPort), 120_000, 250);
      }
      if (own || !(await reachable(endpoints.mqtt))) {
        const { port } = hostPort(endpoints.mqtt);
        const mqttPort = own || (await tcpOpen('127.0.0.1', port)) ? await freePort() : port;
        endpoints.mqtt = `tcp://127.0.0.1:${mqttPort}`;
        print(`starting in-process MQTT broker on ${mqttPort}`);
        infra.push(
          spawnManaged({
            name: 'mqtt',
            command: process.execPath,
            args: [join(root, 'scripts/infra/mqtt-broker.mjs'), '--port', String(mqttPort)],
            logFile: join(logDir, 'mqtt.log'),
            onLine: prefixed('mqtt'),
            detached: true,
          }),
        );
        await waitFor('MQTT broker', () => tcpOpen('127.0.0.1', mqttPort), 30_000);
      }
    }
    // EMPORIUM_FRESH=1 (a namespace only): start from nothing, as a test run must
    if (namespace && env.EMPORIUM_FRESH === '1') {
      print(`fresh start: dropping database ${databaseOf(endpoints.postgres)} and scheduler-${namespace}`);
      await dropDatabase(endpoints.postgres);
      rmSync(join(stateDir, `scheduler-${namespace}`), { recursive: true, force: true });
    }
    // the state store's tables live in the same database: it must exist before any sidecar starts
    await ensureDatabase(endpoints.postgres);
    // where this platform's infrastructure is, for its tests and tools (the e2e client, the seed)
    writeFileSync(join(stateDir, 'endpoints.json'), JSON.stringify({ profile, namespace: namespace ?? null, endpoints }, null, 2), { mode: 0o600 });
    if (profile === 'nats') {
      const topics = Object.keys(PlatformEvents);
      const wire = (t: string) => (namespace ? `${namespace}.${t}` : t);
      await provisionStreams(endpoints.nats, [...topics, ...topics.map(deadLetterTopic)].map(wire));
    }
    ensureSecretsFile(root);
    checkpoint();

    // outside parties (externals.yaml) come up first: services may call them while starting
    const externals = readExternals(root);
    for (const e of externals) {
      if (await tcpOpen('127.0.0.1', e.port)) throw new AlreadyRunningError(`port ${e.port} of ${e.name} is taken${takenBy(e.port)}: is Emporium already running?`);
      const [command, ...args] = e.command;
      const proc = spawnManaged({
        name: e.name,
        command: command === 'node' ? process.execPath : command!,
        args,
        cwd: externalDir(root, e),
        // a key it declares may be set in the runner's environment instead (e2e runs the carrier simulator fast)
        env: { ...externalEnv(e, readSecrets(root)), ...declaredOverrides(e, env), NODE_ENV: 'development' },
        logFile: join(logDir, `${e.name}.log`),
        onLine: prefixed(e.name),
        detached: true,
      });
      infra.push(proc);
      await waitFor(`${e.name} healthy`, async () => (await httpStatus(`http://127.0.0.1:${e.port}${e.healthCheckPath}`)) === 200, 30_000, 200);
    }

    const placementPort = Number(env.EMPORIUM_PLACEMENT_PORT ?? DEFAULT_PLACEMENT_PORT);
    const schedulerPort = Number(env.EMPORIUM_SCHEDULER_PORT ?? DEFAULT_SCHEDULER_PORT);
    const sentryPort = Number(env.EMPORIUM_SENTRY_PORT ?? DEFAULT_SENTRY_PORT);
    for (const [what, port] of [['placement', placementPort], ['scheduler', schedulerPort], ['sentry', sentryPort]] as const) {
      if (await tcpOpen('127.0.0.1', port)) throw new AlreadyRunningError(`port ${port} for ${what} is taken${takenBy(port)}: is another Dapr or Emporium running?`);
    }
    // mTLS: Sentry first (its trust bundle is made on the first start and kept in .emporium/dapr-credentials)
    const bins = daprBinaries(root);
    const secure = !securityOff(env);
    if (!secure) print('EMPORIUM_DAPR_SECURITY=off: no mTLS, no access control, no tokens (a benchmark baseline, never a way to run)');
    const sentry: Sentry | undefined = secure
      ? await startSentry({ root, stateDir, bins, logDir, port: sentryPort, detached: true, onSpawn: (p) => controlPlaneProcesses.push(p) })
      : undefined;
    controlPlane = await startControlPlane({
      dataDir: join(stateDir, namespace ? `scheduler-${namespace}` : 'scheduler'),
      logDir,
      bins,
      placementPort,
      schedulerPort,
      ...(sentry ? { sentry: { address: sentry.address, trustAnchorsFile: sentry.trustAnchorsFile } } : {}),
      detached: true,
      onSpawn: (p) => controlPlaneProcesses.push(p),
    });
    lock.record([...infra, ...controlPlaneProcesses]);
    checkpoint();
    print(`${sentry ? `sentry ${sentry.address} (mTLS), ` : ''}placement ${controlPlane.placementAddress}, scheduler ${controlPlane.schedulerAddress}`);

    for (const app of runFile.apps) {
      for (const port of [app.appPort, app.daprHTTPPort, app.daprGRPCPort]) {
        if (await tcpOpen('127.0.0.1', port)) throw new AlreadyRunningError(`port ${port} of ${app.appID} is taken${takenBy(port)}: is Emporium already running?`);
      }
    }

    // services that cache (catalog) use Redis when one answers and EMPORIUM_CACHE is not off
    const redisUrl = env.EMPORIUM_CACHE !== 'off' && (await reachable(endpoints.redis)) ? `redis://${endpoints.redis}` : undefined;
    // a Dapr API token and an app API token per app, new for every start; tests read them from the file (loopback, 0600)
    const tokens = new Map(runFile.apps.map((a) => [a.appID, { dapr: newToken(), app: newToken() }]));
    const tokenFile = join(stateDir, 'dapr-tokens.json');
    writeFileSync(tokenFile, JSON.stringify(Object.fromEntries(tokens), null, 2), { mode: 0o600 });
    const nameResolutionFile = join(stateDir, 'dapr-names.db');
    const appEnv = (app: (typeof runFile.apps)[number]) => ({
      ...Object.fromEntries(Object.entries({ ...runFile.common?.env, ...app.env }).map(([k, v]) => [k, String(v)])),
      APP_ID: app.appID,
      APP_PORT: String(app.appPort),
      DAPR_HTTP_PORT: String(app.daprHTTPPort),
      DAPR_GRPC_PORT: String(app.daprGRPCPort),
      DATABASE_URL: endpoints.postgres,
      ...(namespace ? { EVENT_NAMESPACE: namespace } : {}),
      ...(secure ? { DAPR_API_TOKEN: tokens.get(app.appID)!.dapr, APP_API_TOKEN: tokens.get(app.appID)!.app } : {}),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      NODE_ENV: 'development',
    });

    checkpoint();
    const cp = controlPlane;
    const appLine = new Map(runFile.apps.map((a) => [a.appID, prefixed(a.appID)]));
    const sidecarLine = new Map(runFile.apps.map((a) => [a.appID, prefixed(`${a.appID}-dapr`)]));
    /** The app and its sidecar, on the ports of dapr.yaml (the same again after a restart, so peers' mDNS answers stay right). */
    const launchApp = (index: number) => {
      const app = runFile.apps[index]!;
      const [command, ...args] = app.command;
      apps[index] = spawnManaged({
        name: app.appID,
        command: command === 'node' ? process.execPath : command!,
        args,
        cwd: appDir(root, app),
        env: appEnv(app),
        logFile: join(logDir, `${app.appID}.log`),
        onLine: appLine.get(app.appID)!,
        detached: true,
      });
    };
    const launchSidecar = (index: number, ports: { internal: number; metrics: number }) => {
      const app = runFile.apps[index]!;
      sidecars[index] = startSidecar({
        appId: app.appID,
        appPort: app.appPort,
        profile,
        ports: { http: app.daprHTTPPort, grpc: app.daprGRPCPort, internalGrpc: ports.internal, metrics: ports.metrics },
        ...controlPlaneFor(app, cp),
        env: componentEnv(endpoints),
        configFile: writeAppConfig({ root, stateDir, appId: app.appID, nameResolutionFile, accessControl: secure }),
        ...(sentry
          ? { security: { sentryAddress: sentry.address, trustAnchors: sentry.trustAnchors, apiToken: tokens.get(app.appID)!.dapr, appApiToken: tokens.get(app.appID)!.app } }
          : {}),
        logFile: join(logDir, `${app.appID}-dapr.log`),
        onLine: sidecarLine.get(app.appID)!,
        logLevel: runFile.common?.logLevel ?? 'warn',
        root,
        detached: true,
      });
    };
    const launch = (index: number, ports: { internal: number; metrics: number }) => {
      launchApp(index);
      launchSidecar(index, ports);
    };
    const sidecarPorts: { internal: number; metrics: number }[] = [];
    for (const [index, app] of runFile.apps.entries()) {
      sidecarPorts[index] = { internal: app.daprInternalGRPCPort ?? (await freePort()), metrics: app.metricsPort ?? (await freePort()) };
      launch(index, sidecarPorts[index]);
      // the first sidecar creates the state store's tables alone; sidecars that
      // do it at once in a new database race each other inside Dapr
      if (index === 0) await sidecars[0]!.ready(120_000);
    }

    lock.record([...infra, ...controlPlaneProcesses, ...apps, ...sidecars]);
    // sidecars first (a sidecar that dies while starting is started again), then each app's /readyz;
    // an app that exits fails the start at once instead of after the timeout
    await Promise.all(sidecars.map((s) => s.ready(120_000)));
    await Promise.all(
      runFile.apps.map((app, i) => {
        const proc = apps[i]!;
        const exit = proc.exited.then((code) => {
          throw new Error(`${app.appID} exited with code ${code} while starting; see ${join(logDir, `${app.appID}.log`)}`);
        });
        exit.catch(() => undefined);
        return Promise.race([waitFor(`${app.appID} ready`, async () => (await httpStatus(`http://127.0.0.1:${app.appPort}/readyz`)) === 200, 120_000, 500), exit]);
      }),
    );

    // a local control port: kill an app with its sidecar as a crash would, and start it again (tests, chaos by hand)
    const appReady = (app: (typeof runFile.apps)[number]) => waitFor(`${app.appID} ready`, async () => (await httpStatus(`http://127.0.0.1:${app.appPort}/readyz`)) === 200, 120_000, 250);
    const controlPort = Number(env.EMPORIUM_CONTROL_PORT ?? DEFAULT_CONTROL_PORT);
    const restartable = new Map<string, { running: () => boolean; kill: () => Promise<void>; start: () => Promise<void> }>();
    for (const name of ['placement', 'scheduler'] as const) {
      const proc = () => cp.processes[name === 'placement' ? 0 : 1]!;
      restartable.set(name, { running: () => proc().running, kill: () => cp.kill(name), start: () => cp.start(name) });
    }
    if (sentry) restartable.set('sentry', { running: () => sentry.process.running, kill: () => sentry.kill(), start: () => sentry.start() });
    // the infrastructure this runner started (embedded profile): a crash of the database or the broker, for chaos
    for (const name of ['postgres', 'mqtt']) {
      const at = () => infra.findIndex((p) => p.name === name);
      if (at() < 0) continue;
      restartable.set(name, {
        running: () => infra[at()]!.running,
        kill: () => infra[at()]!.kill(),
        async start() {
          const old = infra[at()]!;
          if (old.running) return;
          infra[at()] = spawnManaged(old.options);
          const port = Number(old.options.args[old.options.args.indexOf('--port') + 1]);
          await waitFor(name, () => tcpOpen('127.0.0.1', port), 120_000, 250);
        },
      });
    }
    const record = () => lock.record([...infra, ...controlPlaneProcesses, ...apps, ...sidecars]);
    control = await startControl(controlPort, {
      list: () => runFile.apps.map((a, i) => ({ appId: a.appID, running: apps[i]!.running, sidecarRunning: sidecars[i]!.running })),
      async kill(appId, sidecarOnly) {
        const i = runFile.apps.findIndex((a) => a.appID === appId);
        if (i < 0) return false;
        await Promise.all([sidecarOnly ? undefined : apps[i]!.kill(), sidecars[i]!.kill()]);
        print(sidecarOnly ? `${appId}'s sidecar killed` : `${appId} and its sidecar killed`);
        return true;
      },
      async start(appId) {
        const i = runFile.apps.findIndex((a) => a.appID === appId);
        if (i < 0) return false;
        const [app, sidecar] = [apps[i]!.running, sidecars[i]!.running];
        if (app && sidecar) return true;
        if (!sidecar) launchSidecar(i, sidecarPorts[i]!);
        if (!app) launchApp(i);
        record();
        await sidecars[i]!.ready(120_000);
        await appReady(runFile.apps[i]!);
        print(`${app ? `${appId}'s sidecar` : sidecar ? appId : `${appId} and its sidecar`} started again`);
        return true;
      },
      platform: () => [...restartable].map(([name, r]) => ({ name, running: r.running() })),
      async killPlatform(name) {
        const r = restartable.get(name);
        if (!r) return false;
        await r.kill();
        print(`${name} killed`);
        return true;
      },
      async startPlatform(name) {
        const r = restartable.get(name);
        if (!r) return false;
        if (r.running()) return true;
        await r.start();
        record();
        print(`${name} started again`);
        return true;
      },
    });

    print('');
    print(`Emporium is up (${profile} profile): ${runFile.apps.length} apps with their sidecars (mTLS, API tokens, access control), sentry, placement and scheduler`);
    for (const app of runFile.apps) {
      print(`  ${app.appID.padEnd(14)} http://127.0.0.1:${app.appPort}   sidecar http://127.0.0.1:${app.daprHTTPPort}`);
    }
    for (const e of externals) print(`  ${e.name.padEnd(14)} http://127.0.0.1:${e.port}   (outside party, no sidecar)`);
    print(`  logs          ${logDir}`);
    print(`  control       http://127.0.0.1:${controlPort}/apps (npm run platform -- kill|start|restart <app>)`);
    print('Press Ctrl-C to stop everything.');
    return { profile, endpoints, stop };
  } catch (err) {
    if (!state.stopped) await stop();
    throw err;
  }
}
