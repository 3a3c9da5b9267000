import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { EventRegistry } from '@emporium/contracts';
import { buildService, createLogger, drain, listen, loadConfig, Sidecar, type Service, type ServiceDefinition } from '@emporium/kit';
import { startControlPlane, type ControlPlane } from '../platform/control-plane';
import { componentEnv, endpointsFromEnv, missingFor, type Endpoints, type ProfileName } from '../platform/infrastructure';
import { freePort } from '../platform/ports';
import { daprBinaries, repoRoot } from '../platform/repo';
import { newToken, startSentry, writeAppConfig, type Sentry } from '../platform/security';
import { ensureSecretsFile } from '../platform/secrets';
import { allocateSidecarPorts, startSidecar, type SidecarPorts, type SidecarProcess } from '../platform/sidecar-process';

/**
 * Boots kit services with real daprd sidecars, placement and scheduler on
 * free ports against a profile of components/, for component and
 * integration tests; everything is torn down by `stop()`.
 */

export interface TestApp {
  appId: string;
  /**
   * Where a test reaches the app as its sidecar does: a loopback forwarder
   * that adds the app API token (the app answers nothing else but its
   * health probes).
   */
  url: string;
  /** The app's own address; without the token it refuses every request but its probes. */
  directUrl: string;
  /** The tokens of this app's sidecar API and of the app's own API. */
  tokens: { dapr: string; app: string };
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
  /** The port of the app's `url`, when something outside must know it before the start (a webhook address). */
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
  sentry: Sentry;
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
  // the platform's own trust bundle, name-resolution file and Configurations, gone with it
  const stateDir = mkdtempSync(join(tmpdir(), 'emporium-test-state-'));
  const bins = daprBinaries(root);
  const sentry = await startSentry({ root, stateDir, bins, logDir });
  let controlPlane: ControlPlane;
  try {
    controlPlane = await startControlPlane({ logDir, bins, sentry: { address: sentry.address, trustAnchorsFile: sentry.trustAnchorsFile } });
  } catch (err) {
    await sentry.stop();
    throw err;
  }
  const nameResolutionFile = join(stateDir, 'names.db');
  const apps = new Set<TestApp>();

  async function startApp<Extra extends z.ZodRawShape, R extends EventRegistry>(def: ServiceDefinition<Extra, R>, o: StartAppOptions): Promise<TestApp> {
    const ports = o.restartOf?.sidecarPorts ?? (await allocateSidecarPorts());
    const appPort = o.restartOf?.appPort ?? (await freePort());
    const tokens = o.restartOf?.tokens ?? { dapr: newToken(), app: newToken() };
    const config = loadConfig(def.config, {
      DAPR_API_TOKEN: tokens.dapr,
      APP_API_TOKEN: tokens.app,
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
      configFile: writeAppConfig({ root, stateDir, appId: o.appId, nameResolutionFile }),
      security: {
        sentryAddress: sentry.address,
        trustAnchors: sentry.trustAnchors,
        apiToken: tokens.dapr,
        appApiToken: tokens.app,
      },
      logFile: join(logDir, `${o.appId}-dapr.log`),
      root,
      shutdownSeconds: 1,
      ...(opts.extraResources ? { extraResources: opts.extraResources } : {}),
    });
    const forwarder = await tokenForwarder(appPort, tokens.app, o.restartOf ? Number(new URL(o.restartOf.url).port) : (o.appPort ?? 0));
    const closeAll = async () => {
      forwarder.close();
      await service.close().catch(() => undefined);
      apps.delete(app);
    };
    const app: TestApp = {
      appId: o.appId,
      url: `http://127.0.0.1:${(forwarder.address() as AddressInfo).port}`,
      directUrl: `http://127.0.0.1:${appPort}`,
      tokens,
      service,
      dapr: new Sidecar({ host: '127.0.0.1', httpPort: ports.http, apiToken: tokens.dapr }),
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
    sentry,
    logDir,
    startApp,
    async stop() {
      await Promise.all([...apps].map((a) => a.stop()));
      await controlPlane.stop();
      await sentry.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Forwards every request to the app on loopback with the app API token added, as the app's sidecar sends it. */
async function tokenForwarder(appPort: number, token: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const upstream = httpRequest({ host: '127.0.0.1', port: appPort, method: req.method, path: req.url, headers: { ...req.headers, 'dapr-api-token': token } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}
