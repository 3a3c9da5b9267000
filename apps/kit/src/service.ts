import type { DaprWorkflowClient } from '@dapr/dapr';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express, Router } from 'express';
import type { z } from 'zod';
import { ComponentNames, PlatformEvents, type AppId, type EventRegistry } from '@emporium/contracts';
import { loadConfig, type BaseConfig } from './config';
import { createLogger, type Logger } from './logger';
import { createDatabase, type Database } from './db/database';
import { migrate, pendingMigrations, type Migration } from './db/migrations';
import { kitMigrations } from './db/kit-migrations';
import { kitSweepTask } from './db/retention';
import { startPeriodic, type PeriodicTask } from './periodic';
import { Sidecar } from './dapr/sidecar';
import { EventBus } from './dapr/events';
import { ActorHost, type AnyActorDefinition } from './dapr/actors';
import { configureStepRetry, Workflows, type AnyWorkflowDefinition } from './dapr/workflows';
import { createApp } from './http/create-app';
import { configureIdempotency } from './idempotency/idempotency';
import { Metrics } from './http/metrics';
import type { InputLimits } from './http/json-body';
import { routeDrift } from './http/operations';
import type { ReadinessProbe } from './http/health';

/** Everything a service's app.ts builds its routes from. */
export interface ServiceDeps<C extends BaseConfig = BaseConfig, R extends EventRegistry = typeof PlatformEvents> {
  config: C;
  logger: Logger;
  metrics: Metrics;
  db: Database;
  sidecar: Sidecar;
  events: EventBus<R>;
  /** Schedules, queries and signals this service's workflows (once built; only for services that define workflows). */
  workflowClient: () => DaprWorkflowClient;
}

/** What a service contributes; the kit wires the rest. */
export interface ServiceParts {
  routes?: Router[];
  actors?: AnyActorDefinition[];
  workflows?: AnyWorkflowDefinition[];
  readiness?: ReadinessProbe[];
  /** Called on shutdown after the server stopped taking requests. */
  close?(): Promise<void>;
  /** What a JSON body may be at most, where the service needs more than defaultInputLimits (catalog's image upload). */
  inputLimits?: Partial<InputLimits>;
  /** Sweepers and the like: started with the background work, stopped on close. */
  periodic?: PeriodicTask[];
}

export interface ServiceDefinition<Extra extends z.ZodRawShape, R extends EventRegistry> {
  /**
   * The app-id whose operations of the registry this service serves. Run
   * under that app-id, it refuses to start when its routes and the registry
   * disagree (a route no operation describes, an operation nobody serves).
   */
  appId?: AppId;
  /** PostgreSQL schema the service owns. */
  schema: string;
  migrations: readonly Migration[];
  /** The service's own config keys beside the kit's. */
  config?: Extra;
  /** Event registry (defaults to the platform's). */
  events?: R;
  build(deps: ServiceDeps<BaseConfig & z.infer<z.ZodObject<Extra>>, R>): ServiceParts | Promise<ServiceParts>;
}

export interface Service {
  app: Express;
  deps: ServiceDeps<BaseConfig, EventRegistry>;
  workflows?: Workflows;
  /** Starts what needs the sidecar up (the workflow worker). */
  startBackground(): Promise<void>;
  close(): Promise<void>;
}

/** Builds a service from its definition and parsed config: database ready, migrations applied, app assembled. */
export async function buildService<Extra extends z.ZodRawShape, R extends EventRegistry>(
  def: ServiceDefinition<Extra, R>,
  config: BaseConfig & z.infer<z.ZodObject<Extra>>,
  logger: Logger = createLogger({ service: config.APP_ID, level: config.LOG_LEVEL }),
): Promise<Service> {
  const db = await createDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA ?? def.schema, logger, poolMax: config.DATABASE_POOL_MAX });
  const migrations = [...kitMigrations, ...def.migrations];
  try {
    await migrate(db, migrations, logger);
  } catch (err) {
    await db.close();
    throw err;
  }
  configureIdempotency({ leaseMs: config.IDEMPOTENCY_LEASE_MS });
  configureStepRetry({ budgetSeconds: config.WORKFLOW_RETRY_BUDGET_SECONDS, maxDelaySeconds: config.WORKFLOW_RETRY_MAX_DELAY_SECONDS });
  const sidecar = new Sidecar({ host: config.DAPR_HOST, httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN });
  const events = new EventBus<R>({
    registry: (def.events ?? PlatformEvents) as R,
    sidecar,
    pubsub: ComponentNames.pubsub,
    logger,
    db,
    subscriber: config.APP_ID,
    ...(config.EVENT_NAMESPACE ? { namespace: config.EVENT_NAMESPACE } : {}),
  });
  const metrics = new Metrics(config.APP_ID);
  let workflows: Workflows | undefined;
  const workflowClient = () => {
    if (!workflows) throw new Error(`${def.schema} defines no workflows`);
    return workflows.client;
  };
  const deps: ServiceDeps<BaseConfig & z.infer<z.ZodObject<Extra>>, R> = { config, logger, metrics, db, sidecar, events, workflowClient };
  const parts = await def.build(deps);
  if (def.appId && def.appId === config.APP_ID) {
    const drift = routeDrift(def.appId, parts.routes ?? []);
    if (drift.unlisted.length || drift.unserved.length) {
      await db.close();
      throw new Error(
        `${def.appId}'s routes and the operation registry disagree: served but not in contracts: [${drift.unlisted.join(', ')}]; in contracts but not served: [${drift.unserved.join(', ')}]`,
      );
    }
  }

  const actorHost = new ActorHost({
    sidecar,
    logger,
    ...(parts.actors?.length
      ? { turnSeconds: metrics.histogram('dapr_actor_turn_seconds', 'Actor turns hosted here: the method, then its one state write', [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1], ['type', 'phase']) }
      : {}),
  });
  for (const actor of parts.actors ?? []) actorHost.register(actor);
  if (parts.workflows?.length) {
    workflows = await Workflows.create({ daprHost: config.DAPR_HOST, daprPort: String(config.DAPR_GRPC_PORT), apiToken: config.DAPR_API_TOKEN }, logger);
    workflows.register(...parts.workflows);
  }

  const probes: ReadinessProbe[] = [
    { name: 'database', check: () => db.ping() },
    {
      name: 'migrations',
      check: async () => {
        const pending = await pendingMigrations(db, migrations);
        return pending.length ? `pending: ${pending.join(', ')}` : undefined;
      },
    },
    { name: 'dapr-sidecar', check: async () => ((await sidecar.outboundHealthy()) ? undefined : 'sidecar not ready') },
    // actors and workflows need a sidecar that connects to placement: one started without it (an app entry
    // in dapr.yaml or the chart copied from a service without actors) says so here, not by calls that hang
    ...(parts.actors?.length || parts.workflows?.length ? [actorRuntimeProbe(sidecar)] : []),
    ...(parts.readiness ?? []),
  ];
  let stopSweeper: (() => void) | undefined;
  const daprRoutes = [events.router(), ...(actorHost.types.length ? [actorHost.router()] : [])];
  const app = createApp({
    logger,
    metrics,
    routes: parts.routes ?? [],
    daprRoutes,
    readiness: () => probes,
    appApiToken: config.APP_API_TOKEN,
    ...(parts.inputLimits ? { inputLimits: parts.inputLimits } : {}),
  });

  return {
    app,
    deps: deps as unknown as ServiceDeps<BaseConfig, EventRegistry>,
    ...(workflows ? { workflows } : {}),
    async startBackground() {
      events.startRelay();
      stopSweeper ??= startPeriodic([kitSweepTask(db, logger), ...(parts.periodic ?? [])], logger);
      await workflows?.start();
      // a sidecar that restarted alone leaves the workflow worker's stream dead: reconnect when it is back
      workflows?.watch({ healthy: () => sidecar.outboundHealthy(), hosting: () => sidecar.hostsWorkflows() });
    },
    async close() {
      stopSweeper?.();
      await events.stopRelay();
      await workflows?.stop();
      await parts.close?.();
      await db.close();
    },
  };
}

/** Listens on `port` (0 picks a free one) and resolves with the bound port. */
/**
 * How long the app keeps an idle connection of its sidecar open. daprd's app
 * channel keeps idle connections for 90 s (Go's default transport); when
 * Node closes first (its default is 5 s), a request daprd sends on the
 * connection just as Node closes it is reset, and a non-idempotent call
 * (an actor's `confirm`) fails. The client must be the one that closes.
 */
export const APP_KEEP_ALIVE_MS = 95_000;

export function listen(app: Express, port: number, host: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.keepAliveTimeout = APP_KEEP_ALIVE_MS;
    server.headersTimeout = APP_KEEP_ALIVE_MS + 1_000;
    server.once('listening', () => resolve({ server, port: (server.address() as AddressInfo).port }));
    server.once('error', reject);
  });
}

/** Stops taking connections and waits for requests in flight, up to `timeoutMs`. */
export function drain(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * The whole of a service's main.ts: parse config, build, listen, and on
 * SIGTERM or SIGINT drain and close everything before exiting.
 */
export async function runService<Extra extends z.ZodRawShape, R extends EventRegistry>(def: ServiceDefinition<Extra, R>): Promise<void> {
  const config = loadConfig(def.config);
  const logger = createLogger({ service: config.APP_ID, level: config.LOG_LEVEL });
  let service: Service;
  try {
    service = await buildService(def, config, logger);
  } catch (err) {
    logger.fatal({ err }, 'service failed to start');
    process.exit(1);
  }
  const { server, port } = await listen(service.app, config.APP_PORT, config.APP_HOST);
  logger.info({ port }, 'listening');
  service.startBackground().catch((err: unknown) => logger.error({ err }, 'background start failed'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const hardStop = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 2_000);
    hardStop.unref();
    await drain(server, config.SHUTDOWN_TIMEOUT_MS);
    await service.close().catch((err: unknown) => logger.error({ err }, 'close failed'));
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** Ready once the sidecar's actor runtime runs; asked until it does, then never again (it is the sidecar's start-up setting). */
function actorRuntimeProbe(sidecar: Sidecar): ReadinessProbe {
  let running = false;
  return {
    name: 'dapr-actor-runtime',
    check: async () => {
      if (running) return undefined;
      const status = await sidecar.actorRuntimeStatus().catch(() => undefined);
      running = status === 'RUNNING';
      if (running) return undefined;
      return status === 'DISABLED'
        ? 'the sidecar runs without placement: this app hosts actors or workflows (dapr.yaml: no placementHostAddress "" for it; chart: apps.<app>.actors true)'
        : `actor runtime ${status ?? 'unknown'}`;
    },
  };
}
