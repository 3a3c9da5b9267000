import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { accessControlOf, AppIds, Operations, type AppId } from '@emporium/contracts';
import type { DaprBinaries } from './repo';
import { freePorts, httpStatus, waitFor } from './ports';
import { spawnManaged, type ManagedProcess } from './processes';

/**
 * Dapr's own security, the same locally as in the chart:
 * - mTLS between sidecars and with the control plane, certificates from
 *   Dapr Sentry. Its trust bundle (root and issuer) is made by Sentry on the
 *   first start and kept in `.emporium/dapr-credentials/` (renew it with
 *   `npm run platform -- renew-trust` while the platform is stopped).
 * - Access-control policies per app, generated from the operation registry
 *   (deny by default).
 * - The Dapr API token on every sidecar and the app API token on every app,
 *   new for every start.
 * - App-ids resolved through a SQLite file all sidecars of this machine
 *   share, so nothing needs multicast or a network interface.
 */

/** The control plane's trust domain; app identities live in `public`. */
export const CONTROL_PLANE_TRUST_DOMAIN = 'localhost';
/** Locally every app runs in Dapr's default namespace. */
export const LOCAL_NAMESPACE = 'default';

export interface Sentry {
  address: string;
  /** PEM of the root certificate every sidecar and the control plane trust. */
  trustAnchors: string;
  trustAnchorsFile: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
  /** Killed at once, as a crash would (chaos). */
  kill(): Promise<void>;
  /** Started again on the same port with the same credentials; resolves once healthy. No-op while it runs. */
  start(): Promise<void>;
}

export function credentialsDir(stateDir: string): string {
  return join(stateDir, 'dapr-credentials');
}

/** Starts Sentry with the bundle under `stateDir` (made on the first start) and waits until it serves. */
export async function startSentry(opts: { root: string; stateDir: string; bins: DaprBinaries; logDir?: string; port?: number; detached?: boolean; onSpawn?: (p: ManagedProcess) => void }): Promise<Sentry> {
  if (!opts.bins.sentry) throw new Error('sentry is not built: run `npm run dapr:build`');
  const dir = credentialsDir(opts.stateDir);
  mkdirSync(dir, { recursive: true });
  const [free, health, metrics] = await freePorts(3);
  const port = opts.port ?? free!;
  const proc = spawnManaged({
    name: 'sentry',
    command: opts.bins.sentry,
    args: [
      '--issuer-credentials', dir,
      '--trust-domain', CONTROL_PLANE_TRUST_DOMAIN,
      '--config', join(opts.root, 'components', 'sentry.yaml'),
      '--port', String(port),
      '--listen-address', '127.0.0.1',
      '--healthz-port', String(health),
      '--healthz-listen-address', '127.0.0.1',
      '--metrics-port', String(metrics),
      '--metrics-listen-address', '127.0.0.1',
      '--log-level', 'warn',
    ],
    ...(opts.logDir ? { logFile: join(opts.logDir, 'sentry.log') } : {}),
    detached: opts.detached ?? false,
  });
  opts.onSpawn?.(proc);
  const trustAnchorsFile = join(dir, 'ca.crt');
  try {
    await waitFor('sentry', async () => (await httpStatus(`http://127.0.0.1:${health}/healthz`)) === 200 && existsSync(trustAnchorsFile), 60_000);
  } catch (err) {
    await proc.stop(2_000);
    throw err;
  }
  let current = proc;
  return {
    address: `127.0.0.1:${port}`,
    trustAnchors: readFileSync(trustAnchorsFile, 'utf8'),
    trustAnchorsFile,
    get process() {
      return current;
    },
    stop: () => current.stop(5_000),
    kill: () => current.kill(),
    async start() {
      if (current.running) return;
      current = spawnManaged(current.options);
      opts.onSpawn?.(current);
      await waitFor('sentry', async () => (await httpStatus(`http://127.0.0.1:${health}/healthz`)) === 200, 60_000);
    },
  };
}

/** A random token for the Dapr API or an app API. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const isRegistryApp = (appId: string): appId is AppId => (Object.values(AppIds) as string[]).includes(appId);

/**
 * How the SQLite name resolver keeps a sidecar's registration alive. It
 * renews every `updateInterval - timeout` and a lookup finds only hosts
 * renewed less than `updateInterval` ago, counted in whole seconds; so a
 * renewal may be late by at most about `timeout - 1s` before its app-id
 * vanishes ("no host found with the given ID"). With 2s (and the default 1s
 * timeout) there was no slack at all: under a burst on two cores a renewal a
 * second late made catalog unreachable mid-checkout. A restarted app
 * registers at once, so a long interval only keeps a dead address listed a
 * little longer, and apps restart on their own ports. `busyTimeout` (Dapr's
 * default 800 ms for this component): six sidecars started together on two
 * cores all run the component's migrations on the one file, and one of them
 * gave up with "database is locked (SQLITE_BUSY)" and ran without name
 * resolution (CI: every actor call of inventory's flash-sale test failed).
 * Each renewal runs on its own (the component starts one per tick, each
 * retrying a busy file every 50 ms until its `timeout`), so a renewal every
 * 4 s with a 10 s timeout rides out a file that cannot be written for up to
 * ~10 s with no gap at all: a later renewal lands before the 15 s are up.
 * With 6 s (a renewal every 8 s) one renewal missing its 6 s left the host
 * unlisted until the next one, 8 s later; CI saw that twice on a loaded
 * machine (web found no identity, logins answered 503). In WAL
 * mode SQLite's default (synchronous FULL) syncs the file at every commit, and
 * on a machine busy writing (CI: PostgreSQL and the tests' builds beside 17
 * sidecars) one sync took long enough for web to find no identity for ~20 s.
 * The file holds nothing that must outlive a power cut (every sidecar writes
 * its row again on start), so commits go unsynced (NORMAL: WAL stays
 * consistent; only a checkpoint syncs).
 * `cleanupInterval: 0` turns the component's garbage collector off. In Dapr
 * 1.18 (components-contrib 1.18.3, nameresolution/sqlite/sqlite.go) its query
 * is `DELETE … WHERE unixepoch(CURRENT_TIMESTAMP) - last_update < updateInterval`:
 * it deletes the hosts renewed in the last interval, the live ones, not the
 * stale ones. Its first run, an hour (the default) after a sidecar started,
 * would unlist every app at once, and each sidecar's next renewal, finding its
 * row gone, ends the process ("Host registration lost"). Stale rows need no
 * collecting: a lookup skips them, and an app started again on its fixed
 * address replaces its own row.
 */
const NAME_RESOLUTION_TIMING = { updateInterval: '15s', timeout: '10s', busyTimeout: '5s', cleanupInterval: '0' } as const;

/**
 * Writes the Dapr Configuration of one app: components/config.yaml plus its
 * access-control policies from the registry and SQLite name resolution.
 * App-ids outside the registry (tests' own stand-ins) get no policies.
 */
/** `spec`: fields laid over the shared Configuration's spec (a benchmark's variant: tracing, metrics). */
export function writeAppConfig(opts: { root: string; stateDir: string; appId: string; nameResolutionFile: string; accessControl?: boolean; spec?: Record<string, unknown> }): string {
  const base = parse(readFileSync(join(opts.root, 'components', 'config.yaml'), 'utf8')) as { metadata: { name: string }; spec: Record<string, unknown> };
  const spec: Record<string, unknown> = {
    ...base.spec,
    nameResolution: { component: 'sqlite', configuration: { connectionString: `${opts.nameResolutionFile}?_pragma=synchronous(NORMAL)`, ...NAME_RESOLUTION_TIMING } },
    ...(isRegistryApp(opts.appId) && opts.accessControl !== false ? { accessControl: accessControlOf(opts.appId, Operations, { namespace: LOCAL_NAMESPACE }) } : {}),
    ...opts.spec,
  };
  const dir = join(opts.stateDir, 'dapr-config');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${opts.appId}.yaml`);
  writeFileSync(file, `# Generated for ${opts.appId} at start-up from components/config.yaml and the operation registry; do not edit.\n${stringify({ ...base, spec })}`);
  return file;
}

/** What one sidecar needs for mTLS and tokens (its Configuration comes from writeAppConfig). */
export interface SidecarSecurity {
  sentryAddress: string;
  trustAnchors: string;
  apiToken: string;
  appApiToken: string;
}

/**
 * `EMPORIUM_DAPR_SECURITY=off` runs the platform without Sentry, mTLS,
 * access control and tokens, for one purpose: the benchmarks' baseline of
 * what security costs. Anything else refuses it.
 */
export function securityOff(env: NodeJS.ProcessEnv): boolean {
  return env.EMPORIUM_DAPR_SECURITY === 'off';
}
