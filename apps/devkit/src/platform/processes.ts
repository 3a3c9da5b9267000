import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** How it was started: spawnManaged(p.options) starts it again the same way (same ports, same files). */
  readonly options: SpawnOptions;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash would. */
  kill(): Promise<void>;
  /** Neither exited nor killed by a signal. */
  readonly running: boolean;
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
  /**
   * Own process group: a terminal's Ctrl-C then reaches only the parent,
   * which stops children in order (apps drain before their sidecars go).
   */
  detached?: boolean;
}

export function spawnManaged(opts: SpawnOptions): ManagedProcess {
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  const log = opts.logFile ? (mkdirSync(dirname(opts.logFile), { recursive: true }), createWriteStream(opts.logFile, { flags: 'a' })) : undefined;
  let partial = '';
  const onData = (chunk: Buffer) => {
    // output may still drain after the process exited; once the log is closed it is dropped, never an error
    if (log && !log.writableEnded) log.write(chunk);
    if (!opts.onLine) return;
    const text = partial + chunk.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line) opts.onLine(line);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    // the log ends when the child's output has (its pipes closed), not when it exited: 'data' can follow 'exit'
    child.once('close', () => log?.end());
    child.once('error', () => resolve(-1));
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = (sig: NodeJS.Signals) => {
    try {
      // the whole group when detached, so helpers the child started go too
      if (opts.detached && child.pid) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // gone already
    }
  };
  return {
    name: opts.name,
    child,
    options: opts,
    exited,
    async stop(graceMs = 10_000) {
      if (!alive()) return;
      signal('SIGTERM');
      const timer = setTimeout(() => alive() && signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (!alive()) return;
      signal('SIGKILL');
      await exited;
    },
    get running() {
      return alive();
    },
  };
}
