import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daprBinaries, type DaprBinaries } from './repo';
import { freePorts, httpStatus, waitFor } from './ports';
import { spawnManaged, type ManagedProcess } from './processes';
import { CONTROL_PLANE_TRUST_DOMAIN } from './security';

export type ControlPlaneService = 'placement' | 'scheduler';

export interface ControlPlane {
  placementAddress: string;
  schedulerAddress: string;
  processes: ManagedProcess[];
  stop(): Promise<void>;
  /** Kills one of them at once, as a crash would (chaos). */
  kill(name: ControlPlaneService): Promise<void>;
  /** Starts a killed one again on the same ports with the same data; resolves once it is healthy. No-op while it runs. */
  start(name: ControlPlaneService): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Scheduler's embedded etcd data; a fresh temporary folder when omitted (removed on stop). */
  dataDir?: string;
  logDir?: string;
  logLevel?: string;
  bins?: DaprBinaries;
  /** Fixed ports (the runner); free ones when omitted (tests). */
  placementPort?: number;
  schedulerPort?: number;
  /** Own process groups (the runner), see spawnManaged. */
  detached?: boolean;
  /** mTLS with the sidecars: Sentry's address and the trust anchors' file. */
  sentry?: { address: string; trustAnchorsFile: string };
  /** Told of each process as soon as it is spawned, so a caller can stop it even mid-start. */
  onSpawn?: (proc: ManagedProcess) => void;
}

/** Starts Dapr placement (actors) and scheduler (reminders, workflow timers, jobs). */
export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const bins = opts.bins ?? daprBinaries();
  const [pFree, pHealth, pMetrics, sFree, sHealth, sMetrics, etcdClient, etcdPeer, raft] = await freePorts(9);
  const placementPort = opts.placementPort ?? pFree!;
  const schedulerPort = opts.schedulerPort ?? sFree!;
  const tempDir = opts.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'emporium-scheduler-'));
  const dataDir = opts.dataDir ?? tempDir!;
  const logLevel = opts.logLevel ?? 'warn';
  const log = (name: string) => (opts.logDir ? { logFile: join(opts.logDir, `${name}.log`) } : {});
  const tls = opts.sentry
    ? ['--tls-enabled', '--trust-domain', CONTROL_PLANE_TRUST_DOMAIN, '--trust-anchors-file', opts.sentry.trustAnchorsFile, '--sentry-address', opts.sentry.address]
    : [];

  const placement = spawnManaged({
    name: 'placement',
    command: bins.placement,
    args: ['--port', String(placementPort), '--listen-address', '127.0.0.1', '--healthz-port', String(pHealth), '--healthz-listen-address', '127.0.0.1',
      '--metrics-port', String(pMetrics), '--metrics-listen-address', '127.0.0.1', '--log-level', logLevel,
      // its Raft port free too (the default, 8201, is one per machine: two platforms at once would collide)
      '--id', 'dapr-placement-0', '--initial-cluster', `dapr-placement-0=127.0.0.1:${raft}`, ...tls],
    ...log('placement'),
    detached: opts.detached ?? false,
  });
  const scheduler = spawnManaged({
    name: 'scheduler',
    command: bins.scheduler,
    args: ['--port', String(schedulerPort), '--listen-address', '127.0.0.1', '--healthz-port', String(sHealth), '--healthz-listen-address', '127.0.0.1',
      '--metrics-port', String(sMetrics), '--metrics-listen-address', '127.0.0.1', '--log-level', logLevel,
      '--etcd-data-dir', dataDir, '--etcd-client-port', String(etcdClient), '--etcd-client-listen-address', '127.0.0.1',
      '--etcd-initial-cluster', `dapr-scheduler-server-0=http://127.0.0.1:${etcdPeer}`, ...tls],
    ...log('scheduler'),
    detached: opts.detached ?? false,
  });
  const processes = [placement, scheduler];
  processes.forEach((p) => opts.onSpawn?.(p));
  const index = { placement: 0, scheduler: 1 } as const;
  const healthy = { placement: () => waitFor('placement', async () => (await httpStatus(`http://127.0.0.1:${pHealth}/healthz`)) === 200, 30_000), scheduler: () => waitFor('scheduler', async () => (await httpStatus(`http://127.0.0.1:${sHealth}/healthz`)) === 200, 60_000) };
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop(5_000)));
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  try {
    await healthy.placement();
    await healthy.scheduler();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    placementAddress: `127.0.0.1:${placementPort}`,
    schedulerAddress: `127.0.0.1:${schedulerPort}`,
    processes,
    stop,
    kill: (name) => processes[index[name]]!.kill(),
    async start(name) {
      const old = processes[index[name]]!;
      if (old.running) return;
      const proc = spawnManaged(old.options);
      processes[index[name]] = proc;
      opts.onSpawn?.(proc);
      await healthy[name]();
    },
  };
}
