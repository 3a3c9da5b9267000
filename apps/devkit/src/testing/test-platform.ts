import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { EventRegistry } from '@emporium/contracts';
import { buildService, createLogger, drain, ensureDatabase, listen, loadConfig, Sidecar, type Service, type ServiceDefinition } from '@emporium/kit';
import { startControlPlane, type ControlPlane } from '../platform/control-plane';
import { componentEnv, endpointsFromEnv, missingFor, type Endpoints, type ProfileName } from '../platform/infrastructure';
import { freePort, httpStatus } from '../platform/ports';
import { spawnManaged, type ManagedProcess } from '../platform/processes';
import { appDir, controlPlaneFor, readRunFile } from '../platform/run-file';
import { externalDir, externalEnv, readExternals } from '../platform/externals';
import { dropDatabase, withDatabase } from '../platform/databases';
import { daprBinaries, repoRoot } from '../platform/repo';
import { newToken, startSentry, writeAppConfig, type Sentry } from '../platform/security';
import { ensureSecretsFile, readSecrets } from '../platform/secrets';
import { allocateSidecarPorts, startSidecar, type SidecarPorts, type SidecarProcess } from '../platform/sidecar-process';

/**
 * Boots kit services with real daprd sidecars, placement and scheduler on
 * free ports against a profile of components/, for component and
 * integration tests; everything is torn down by `stop()`.
 */

/** An app of the test platform with its sidecar, in this process or in its own. */
export interface RunningApp {
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
  /** Client of this app's own sidecar. */
  dapr: Sidecar;
  /** The schema it keeps its tables in, when not its service's own (an app built here: one per app-id). */
  databaseSchema?: string;
  sidecarProcess: SidecarProcess;
  appPort: number;
  sidecarPorts: SidecarPorts;
  /** Graceful stop of app and sidecar. */
  stop(): Promise<void>;
  /** As a crash: sidecar killed, connections cut, nothing drained. */
  crash(): Promise<void>;
}

/** The service under test, built in the test's process from its sources: its internals are the test's to read. */
export interface TestApp extends RunningApp {
  service: Service;
  /**
   * The sidecar alone killed (the app stays up), then, after `downMs`, started again on the same
   * ports and waited for; `sidecarProcess` is the new one. Answers where the new sidecar's lines
   * begin in its log file (`logFile`), so a test reads only what came after the restart.
   */
  restartSidecar(downMs: number): Promise<{ logFile: string; offset: number }>;
}

/**
 * A peer of the service under test: another service of the platform, run
 * from its build (`node dist/main.js`, as the runner and the images run it)
 * in a process of its own. A test reaches it only as its callers do, never
 * by its sources.
 */
export type TestPeer = RunningApp;

/** An outside party (externals.yaml) in a process of its own: reached over HTTP only. */
export interface TestExternal {
  name: string;
  url: string;
  port: number;
  stop(): Promise<void>;
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
  /** The sidecar connects to neither placement nor scheduler, as dapr.yaml's placementHostAddress "" has it (startPeer follows dapr.yaml). */
  withoutActors?: boolean;
}

export interface TestPlatform {
  profile: ProfileName;
  endpoints: Endpoints;
  controlPlane: ControlPlane;
  sentry: Sentry;
  logDir: string;
  /** A topic as this platform's apps name it on the broker (their namespace's prefix), e.g. to provision a JetStream stream for it. */
  wireTopic(topic: string): string;
  startApp<Extra extends z.ZodRawShape, R extends EventRegistry>(def: ServiceDefinition<Extra, R>, opts: StartAppOptions): Promise<TestApp>;
  /** An outside party of externals.yaml (the card provider simulator) from its build, on a free port unless told one. */
  startExternal(name: string, opts?: { port?: number; env?: Record<string, string> }): Promise<TestExternal>;
  /** Another service of the platform by its app-id (dapr.yaml), from its build; see TestPeer. */
  startPeer(appId: string, opts?: Omit<StartAppOptions, 'appId' | 'restartOf'> & { restartOf?: RunningApp }): Promise<TestPeer>;
  stop(): Promise<void>;
}

/** A run-unique suffix, so app-ids, topics and keys of parallel runs never meet. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * The topic prefix of the test platforms of this jest worker (`cw1`, `cw2`…):
 * a fixed few, so the broker keeps a bounded set of durable queues however
 * often the tests run, and never the names of the developer's platform
 * (none), the e2e suite's (`e2e`) or the benchmarks' (`bench`).
 */
const eventNamespace = `cw${/^\d{1,3}$/.test(process.env.JEST_WORKER_ID ?? '') ? process.env.JEST_WORKER_ID : '0'}`;

export async function startTestPlatform(opts: { profile?: ProfileName; endpoints?: Partial<Endpoints>; extraResources?: string[] } = {}): Promise<TestPlatform> {
  const profile = opts.profile ?? 'services';
  const given = { ...endpointsFromEnv(), ...opts.endpoints };
  const missing = await missingFor(profile, given);
  if (missing.length) throw new Error(`profile ${profile} needs ${missing.join(', ')}, which do not answer (see README: infrastructure)`);
  // a database of this platform's own (services' schemas and the state store's tables), dropped by stop()
  const endpoints: Endpoints = { ...given, postgres: withDatabase(given.postgres, `emporium_test_${uniqueSuffix()}`) };
  await ensureDatabase(endpoints.postgres);
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
  const apps = new Set<RunningApp>();
  /** The environment an app reads its settings from, as the runner gives it. */
  const appEnv = (appId: string, appPort: number, ports: SidecarPorts, tokens: { dapr: string; app: string }, schema: string | undefined, o: { env?: Record<string, string>; logLevel?: string }) => ({
    DAPR_API_TOKEN: tokens.dapr,
    APP_API_TOKEN: tokens.app,
    APP_ID: appId,
    APP_PORT: String(appPort),
    DATABASE_URL: endpoints.postgres,
    DAPR_HTTP_PORT: String(ports.http),
    DAPR_GRPC_PORT: String(ports.grpc),
    // the platform's database is its own: a peer keeps its service's schema name; an app built
    // here gets one per app-id, so a test may run a service twice under two app-ids
    ...(schema ? { DATABASE_SCHEMA: `${schema}_${appId.replace(/[^a-z0-9]/g, '_')}`.slice(0, 63) } : {}),
    LOG_LEVEL: o.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'debug',
    // topics of their own per jest worker: suites running side by side never take each other's
    // events from the broker's shared queues (suites of one worker run one after another)
    EVENT_NAMESPACE: eventNamespace,
    ...o.env,
  });
  const sidecarFor = (appId: string, appPort: number, ports: SidecarPorts, tokens: { dapr: string; app: string }, runEntry: Parameters<typeof controlPlaneFor>[0]) =>
    startSidecar({
      appId,
      appPort,
      profile,
      ports,
      ...controlPlaneFor(runEntry, controlPlane),
      env: componentEnv(endpoints),
      configFile: writeAppConfig({ root, stateDir, appId, nameResolutionFile }),
      security: {
        sentryAddress: sentry.address,
        trustAnchors: sentry.trustAnchors,
        apiToken: tokens.dapr,
        appApiToken: tokens.app,
      },
      logFile: join(logDir, `${appId}-dapr.log`),
      root,
      shutdownSeconds: 1,
      ...(opts.extraResources ? { extraResources: opts.extraResources } : {}),
    });

  /**
   * The first sidecar of the platform creates the name-resolution database alone, as the runner
   * has its first sidecar create the state store's tables: two sidecars migrating a new SQLite file
   * at once race, and the one that meets SQLITE_BUSY never registers, so every call to it answers
   * "no host found" (kit building blocks, session 35's CI). Later sidecars wait until it is ready.
   */
  let namesCreated: Promise<void> | undefined;
  async function sidecarInTurn(...args: Parameters<typeof sidecarFor>): Promise<ReturnType<typeof sidecarFor>> {
    if (namesCreated) {
      await namesCreated;
      return sidecarFor(...args);
    }
    const sidecar = sidecarFor(...args);
    // whether it came up is for its own startApp to say; the others only wait for it
    namesCreated = sidecar.ready().catch(() => undefined);
    return sidecar;
  }

  async function startApp<Extra extends z.ZodRawShape, R extends EventRegistry>(def: ServiceDefinition<Extra, R>, o: StartAppOptions): Promise<TestApp> {
    const ports = o.restartOf?.sidecarPorts ?? (await allocateSidecarPorts());
    const appPort = o.restartOf?.appPort ?? (await freePort());
    const tokens = o.restartOf?.tokens ?? { dapr: newToken(), app: newToken() };
    const config = loadConfig(def.config, appEnv(o.appId, appPort, ports, tokens, def.schema, o));
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
    const runEntry = o.withoutActors ? ({ placementHostAddress: '', schedulerHostAddress: '' } as const) : {};
    const sidecarProcess = await sidecarInTurn(o.appId, appPort, ports, tokens, runEntry);
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
      ...(config.DATABASE_SCHEMA ? { databaseSchema: config.DATABASE_SCHEMA } : {}),
      sidecarProcess,
      appPort,
      sidecarPorts: ports,
      async stop() {
        await drain(server, 2_000);
        await closeAll();
        await app.sidecarProcess.stop(10_000);
      },
      async crash() {
        await app.sidecarProcess.kill();
        server.closeAllConnections();
        server.close();
        await closeAll();
      },
      async restartSidecar(downMs) {
        await app.sidecarProcess.kill();
        await new Promise((r) => setTimeout(r, downMs));
        const logFile = join(logDir, `${o.appId}-dapr.log`);
        const offset = statSync(logFile, { throwIfNoEntry: false })?.size ?? 0;
        app.sidecarProcess = sidecarFor(o.appId, appPort, ports, tokens, runEntry);
        await app.sidecarProcess.ready();
        return { logFile, offset };
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

  const runFile = readRunFile(root);
  async function startPeer(appId: string, o: Omit<StartAppOptions, 'appId' | 'restartOf'> & { restartOf?: RunningApp } = {}): Promise<TestPeer> {
    const entry = runFile.apps.find((a) => a.appID === appId);
    if (!entry) throw new Error(`${appId} is not an app of dapr.yaml`);
    const dir = appDir(root, entry);
    const [command, ...args] = entry.command;
    assertBuilt(appId, dir, join(dir, args[0] ?? 'dist/main.js'));
    assertBuilt('the kit', join(root, 'apps/kit'), join(root, 'apps/kit/dist/index.js'));
    assertBuilt('the contracts', join(root, 'contracts'), join(root, 'contracts/dist/index.js'));
    const ports = o.restartOf?.sidecarPorts ?? (await allocateSidecarPorts());
    const appPort = o.restartOf?.appPort ?? (await freePort());
    const tokens = o.restartOf?.tokens ?? { dapr: newToken(), app: newToken() };
    const proc = spawnManaged({
      name: appId,
      command: command === 'node' ? process.execPath : command!,
      args,
      cwd: dir,
      env: { ...appEnv(appId, appPort, ports, tokens, undefined, o), NODE_ENV: 'test' },
      logFile: join(logDir, `${appId}.log`),
    });
    const appUp = await waitForHealth(`http://127.0.0.1:${appPort}/healthz`, proc, 30_000);
    if (!appUp) {
      await proc.kill();
      throw new Error(`${appId} did not answer /healthz; logs in ${logDir}`);
    }
    const sidecarProcess = await sidecarInTurn(appId, appPort, ports, tokens, entry);
    const forwarder = await tokenForwarder(appPort, tokens.app, o.restartOf ? Number(new URL(o.restartOf.url).port) : (o.appPort ?? 0));
    const peer: TestPeer = {
      appId,
      url: `http://127.0.0.1:${(forwarder.address() as AddressInfo).port}`,
      directUrl: `http://127.0.0.1:${appPort}`,
      tokens,
      dapr: new Sidecar({ host: '127.0.0.1', httpPort: ports.http, apiToken: tokens.dapr }),
      sidecarProcess,
      appPort,
      sidecarPorts: ports,
      async stop() {
        forwarder.close();
        apps.delete(peer);
        await proc.stop(5_000);
        await sidecarProcess.stop(10_000);
      },
      async crash() {
        forwarder.close();
        apps.delete(peer);
        await Promise.all([sidecarProcess.kill(), proc.kill()]);
      },
    };
    apps.add(peer);
    try {
      await sidecarProcess.ready();
    } catch (err) {
      await peer.stop();
      throw new Error(`${appId} did not start: ${(err as Error).message}; logs in ${logDir}`, { cause: err });
    }
    return peer;
  }

  const externals = new Set<TestExternal>();
  async function startExternal(name: string, o: { port?: number; env?: Record<string, string> } = {}): Promise<TestExternal> {
    const e = readExternals(root).find((x) => x.name === name);
    if (!e) throw new Error(`${name} is not in externals.yaml`);
    const dir = externalDir(root, e);
    const [command, ...args] = e.command;
    assertBuilt(name, dir, join(dir, args[0] ?? 'dist/main.js'));
    const port = o.port ?? (await freePort());
    const proc = spawnManaged({
      name,
      command: command === 'node' ? process.execPath : command!,
      args,
      cwd: dir,
      env: { ...externalEnv(e, readSecrets(root)), PORT: String(port), ...o.env, NODE_ENV: 'test' },
      logFile: join(logDir, `${name}.log`),
    });
    if (!(await waitForHealth(`http://127.0.0.1:${port}${e.healthCheckPath}`, proc, 30_000))) {
      await proc.kill();
      throw new Error(`${name} did not answer ${e.healthCheckPath}; logs in ${logDir}`);
    }
    const external: TestExternal = {
      name,
      port,
      url: `http://127.0.0.1:${port}`,
      async stop() {
        externals.delete(external);
        await proc.stop(5_000);
      },
    };
    externals.add(external);
    return external;
  }

  return {
    profile,
    endpoints,
    controlPlane,
    sentry,
    logDir,
    wireTopic: (topic) => `${eventNamespace}.${topic}`,
    startApp,
    startPeer,
    startExternal,
    async stop() {
      await Promise.all([...apps].map((a) => a.stop()));
      await Promise.all([...externals].map((e) => e.stop()));
      await controlPlane.stop();
      await sentry.stop();
      rmSync(stateDir, { recursive: true, force: true });
      await dropDatabase(endpoints.postgres).catch(() => undefined);
    },
  };
}

/** A peer runs from its build: one missing or older than its sources would test something else. */
function assertBuilt(name: string, dir: string, main: string): void {
  // tsc -b writes only the outputs that changed, but always its build info
  const info = join(dir, 'tsconfig.tsbuildinfo');
  if (!existsSync(main) || !existsSync(info) || newestUnder(join(dir, 'src')) > statSync(info).mtimeMs) {
    throw new Error(`${name} is not built, or its build is older than its sources: run \`npx tsc -b\` (npm test does)`);
  }
}

/** The newest modification time of a source under `dir` (0 when none). */
function newestUnder(dir: string): number {
  if (!existsSync(dir)) return 0;
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // tests are not built
    if (!e.isDirectory() && e.name.endsWith('.test.ts')) continue;
    max = Math.max(max, e.isDirectory() ? newestUnder(p) : statSync(p).mtimeMs);
  }
  return max;
}

/** True once `url` answers 200; false when the process exited or the time ran out. */
async function waitForHealth(url: string, proc: ManagedProcess, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return false;
    if ((await httpStatus(url)) === 200) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
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
