import type { Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { EventRegistry } from '@emporium/contracts';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { Sidecar } from '../dapr/sidecar';
import { buildService, drain, listen, type Service, type ServiceDefinition } from '../service';
import { startControlPlane, type ControlPlane } from '../platform/control-plane';
import { componentEnv, endpointsFromEnv, missingFor, type Endpoints, type ProfileName } from '../platform/infrastructure';
import { freePort } from '../platform/ports';
import { repoRoot } from '../platform/repo';
import { ensureSecretsFile } from '../platform/secrets';
import { allocateSidecarPorts, startSidecar, type SidecarPorts, type SidecarProcess } from '../platform/sidecar-process';

/**
 * Boots kit services with real daprd sidecars, placement and scheduler on
 * free ports against a profile of components/, for component and
 * integration tests; everything is torn down by `stop()`.
 */

export interface TestApp {
  appId: string;
  url: string;
  service: Service;
  /** Client of this app's own sidecar. */
  dapr: Sidecar;
  sidecarProcess: SidecarProcess;
  appPort: number;
  sidecarPorts: SidecarPorts;
  /** Graceful stop of app and sidecar. */
  stop(): Promise<void>;
  /** As a crash: sidecar killed, connections cut, nothing drained. */
  crash(): Promise<void>;
}

export interface StartAppOptions {
  appId: string;
  /** Extra or overriding config values (as environment strings). */
  env?: Record<string, string>;
  logLevel?: string;
  /** The app's port, when something outside must know it before the start (a webhook address). */
  appPort?: number;
  /**
   * Start again on the ports of an app that crashed or stopped, as a process
   * manager restarting it would: peers' sidecars resolve the app's address by
   * mDNS and keep the old one for a while.
   */
  restartOf?: TestApp;
}

export interface TestPlatform {
  profile: ProfileName;
  endpoints: Endpoints;
  controlPlane: ControlPlane;
  logDir: string;
  startApp<Extra extends z.ZodRawShape, R extends EventRegistry>(def: ServiceDefinition<Extra, R>, opts: StartAppOptions): Promise<TestApp>;
  stop(): Promise<void>;
}

/** A run-unique suffix, so app-ids, topics and keys of parallel runs never meet. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export async function startTestPlatform(opts: { profile?: ProfileName; endpoints?: Partial<Endpoints>; extraResources?: string[] } = {}): Promise<TestPlatform> {
  const profile = opts.profile ?? 'services';
  const endpoints = { ...endpointsFromEnv(), ...opts.endpoints };
  const missing = await missingFor(profile, endpoints);
  if (missing.length) throw new Error(`profile ${profile} needs ${missing.join(', ')}, which do not answer (see README: infrastructure)`);
  const root = repoRoot();
  ensureSecretsFile(root);
  const logDir = mkdtempSync(join(tmpdir(), 'emporium-test-logs-'));
  const controlPlane = await startControlPlane({ logDir });
  const apps = new Set<TestApp>();

  async function startApp<Extra extends z.ZodRawShape, R extends EventRegistry>(def: ServiceDefinition<Extra, R>, o: StartAppOptions): Promise<TestApp> {
    const ports = o.restartOf?.sidecarPorts ?? (await allocateSidecarPorts());
    const appPort = o.restartOf?.appPort ?? o.appPort ?? (await freePort());
    const config = loadConfig(def.config, {
      APP_ID: o.appId,
      APP_PORT: String(appPort),
      DATABASE_URL: endpoints.postgres,
      DAPR_HTTP_PORT: String(ports.http),
      DAPR_GRPC_PORT: String(ports.grpc),
      DATABASE_SCHEMA: `${def.schema}_${o.appId.replace(/[^a-z0-9]/g, '_')}`.slice(0, 63),
      LOG_LEVEL: o.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'debug',
      ...o.env,
    });
    // app logs go to files beside the sidecars' so test output stays readable
    const logger = createLogger({ service: o.appId, level: config.LOG_LEVEL, file: join(logDir, `${o.appId}.log`) });
    const service = await buildService(def, config, logger);
    let server: Server;
    try {
      ({ server } = await listen(service.app, appPort, '127.0.0.1'));
    } catch (err) {
      await service.close();
      throw err;
    }
    const sidecarProcess = startSidecar({
      appId: o.appId,
      appPort,
      profile,
      ports,
      placementAddress: controlPlane.placementAddress,
      schedulerAddress: controlPlane.schedulerAddress,
      env: componentEnv(endpoints),
      logFile: join(logDir, `${o.appId}-dapr.log`),
      root,
      shutdownSeconds: 1,
      ...(opts.extraResources ? { extraResources: opts.extraResources } : {}),
    });
    const closeAll = async () => {
      await service.close().catch(() => undefined);
      apps.delete(app);
    };
    const app: TestApp = {
      appId: o.appId,
      url: `http://127.0.0.1:${appPort}`,
      service,
      dapr: new Sidecar({ host: '127.0.0.1', httpPort: ports.http }),
      sidecarProcess,
      appPort,
      sidecarPorts: ports,
      async stop() {
        await drain(server, 2_000);
        await closeAll();
        await sidecarProcess.stop(10_000);
      },
      async crash() {
        await sidecarProcess.kill();
        server.closeAllConnections();
        server.close();
        await closeAll();
      },
    };
    apps.add(app);
    try {
      await sidecarProcess.ready();
      await service.startBackground();
    } catch (err) {
      await app.stop();
      throw new Error(`${o.appId} did not start: ${(err as Error).message}; logs in ${logDir}`, { cause: err });
    }
    return app;
  }

  return {
    profile,
    endpoints,
    controlPlane,
    logDir,
    startApp,
    async stop() {
      await Promise.all([...apps].map((a) => a.stop()));
      await controlPlane.stop();
    },
  };
}
