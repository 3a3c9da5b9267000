import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash would. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Output goes here (appended); and to `onLine` when given. */
  logFile?: string;
  onLine?: (line: string) => void;
}

export function spawnManaged(opts: SpawnOptions): ManagedProcess {
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = opts.logFile ? (mkdirSync(dirname(opts.logFile), { recursive: true }), createWriteStream(opts.logFile, { flags: 'a' })) : undefined;
  let partial = '';
  const onData = (chunk: Buffer) => {
    log?.write(chunk);
    if (!opts.onLine) return;
    const text = partial + chunk.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line) opts.onLine(line);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      log?.end();
      resolve(code);
    });
    child.once('error', () => resolve(-1));
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name: opts.name,
    child,
    exited,
    async stop(graceMs = 10_000) {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => alive() && child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (!alive()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
