import { join } from 'node:path';
import { daprBinaries, repoRoot, type DaprBinaries } from './repo';
import { freePorts, httpStatus, waitFor } from './ports';
import { spawnManaged, type ManagedProcess } from './processes';
import type { ProfileName } from './infrastructure';
import { CONTROL_PLANE_TRUST_DOMAIN, LOCAL_NAMESPACE, type SidecarSecurity } from './security';

export interface SidecarPorts {
  http: number;
  grpc: number;
  internalGrpc: number;
  metrics: number;
}

export async function allocateSidecarPorts(): Promise<SidecarPorts> {
  const [http, grpc, internalGrpc, metrics] = await freePorts(4);
  return { http: http!, grpc: grpc!, internalGrpc: internalGrpc!, metrics: metrics! };
}

export interface SidecarProcessOptions {
  appId: string;
  appPort: number;
  profile: ProfileName;
  ports: SidecarPorts;
  placementAddress: string;
  schedulerAddress: string;
  /** EMPORIUM_INFRA_* for the components. */
  env: Record<string, string>;
  /** mTLS through Sentry and tokens. */
  security?: SidecarSecurity;
  /** The app's own Configuration (writeAppConfig: policies, name resolution); components/config.yaml when omitted. */
  configFile?: string;
  logFile?: string;
  logLevel?: string;
  onLine?: (line: string) => void;
  root?: string;
  bins?: DaprBinaries;
  /** Extra folders of resources after the profile's (tests add their own). */
  extraResources?: string[];
  /** How long daprd waits for in-flight work on SIGTERM. */
  shutdownSeconds?: number;
  detached?: boolean;
}

export interface SidecarProcess extends ManagedProcess {
  ports: SidecarPorts;
  /** Waits until the sidecar reports healthy (components loaded, app reachable). */
  ready(timeoutMs?: number): Promise<void>;
}

/** Starts daprd for one app with the shared resources and the profile's components. */
export function startSidecar(opts: SidecarProcessOptions): SidecarProcess {
  const root = opts.root ?? repoRoot();
  const bins = opts.bins ?? daprBinaries(root);
  const components = join(root, 'components');
  const args = [
    '--app-id', opts.appId,
    '--app-port', String(opts.appPort),
    '--app-protocol', 'http',
    '--app-channel-address', '127.0.0.1',
    '--dapr-listen-addresses', '127.0.0.1',
    '--dapr-http-port', String(opts.ports.http),
    '--dapr-grpc-port', String(opts.ports.grpc),
    '--dapr-internal-grpc-port', String(opts.ports.internalGrpc),
    '--metrics-port', String(opts.ports.metrics),
    '--placement-host-address', opts.placementAddress,
    '--scheduler-host-address', opts.schedulerAddress,
    '--config', opts.configFile ?? join(components, 'config.yaml'),
    ...(opts.security ? ['--enable-mtls', '--sentry-address', opts.security.sentryAddress, '--control-plane-trust-domain', CONTROL_PLANE_TRUST_DOMAIN] : []),
    '--resources-path', join(components, 'shared'),
    '--resources-path', join(components, opts.profile),
    ...(opts.extraResources ?? []).flatMap((p) => ['--resources-path', p]),
    '--log-level', opts.logLevel ?? 'warn',
    '--log-as-json',
    '--dapr-graceful-shutdown-seconds', String(opts.shutdownSeconds ?? 5),
  ];
  const spawnOnce = () =>
    spawnManaged({
      name: `${opts.appId}-dapr`,
      command: bins.daprd,
      args,
      cwd: root,
      env: {
        ...opts.env,
        // the address the sidecar registers under: loopback, so it starts where lo is the only interface
        DAPR_HOST_IP: '127.0.0.1',
        NAMESPACE: LOCAL_NAMESPACE,
        ...(opts.security
          ? { DAPR_API_TOKEN: opts.security.apiToken, APP_API_TOKEN: opts.security.appApiToken, DAPR_TRUST_ANCHORS: opts.security.trustAnchors }
          : {}),
      },
      ...(opts.logFile ? { logFile: opts.logFile } : {}),
      ...(opts.onLine ? { onLine: opts.onLine } : {}),
      ...(opts.detached ? { detached: true } : {}),
    });
  let current = spawnOnce();
  // the health endpoint answers without the API token
  const healthy = async () => (await httpStatus(`http://127.0.0.1:${opts.ports.http}/v1.0/healthz`)) === 204;
  return {
    get name() {
      return current.name;
    },
    get child() {
      return current.child;
    },
    get exited() {
      return current.exited;
    },
    get options() {
      return current.options;
    },
    get running() {
      return current.running;
    },
    stop: (graceMs?: number) => current.stop(graceMs),
    kill: () => current.kill(),
    ports: opts.ports,
    /**
     * Waits until healthy. A sidecar that exits while starting is started
     * again, as a pod would be, until `timeoutMs` is spent: Dapr's PostgreSQL
     * state store races itself when several sidecars create its tables in a new
     * database at once, and a sidecar started while its database is still
     * coming back (the chaos suite) exits on the failed component.
     */
    async ready(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (let attempt = 1; ; attempt++) {
        const proc = current;
        const exit = proc.exited.then((code) => {
          throw new Error(`daprd for ${opts.appId} exited with code ${code}`);
        });
        exit.catch(() => undefined);
        try {
          await Promise.race([waitFor(`sidecar of ${opts.appId}`, healthy, Math.max(1000, deadline - Date.now())), exit]);
          return;
        } catch (err) {
          const stillRunning = proc.child.exitCode === null && proc.child.signalCode === null;
          if (stillRunning || Date.now() >= deadline) throw err;
          opts.onLine?.(`daprd exited while starting (attempt ${attempt}); starting it again`);
          // jitter, so sidecars that failed together do not retry together
          await new Promise((r) => setTimeout(r, Math.min(3000, 300 * attempt) + Math.random() * 700));
          current = spawnOnce();
        }
      }
    },
  };
}
