// Types only: the SDK costs about 47 MiB per process, so it is loaded only by
// services that run workflows (Workflows.create).
import type { DaprWorkflowClient, LoggerService, LogLevel, WorkflowActivityContext, WorkflowContext, WorkflowRuntime } from '@dapr/dapr';
import { ConsoleLoggerService } from '@dapr/dapr/logger/ConsoleLoggerService';
import type { Logger } from '../logger';
import { grpcCode, isTransient } from '../transient';
import { UnavailableError } from '../errors';
import { InvocationError } from './sidecar';

export { isTransient };

/**
 * Dapr Workflow through @dapr/dapr (gRPC to the sidecar). A workflow is a
 * list of steps; each step is an activity with its compensation beside it.
 * When a later step fails, the saga runs the compensations of the steps that
 * succeeded, newest first.
 */

export interface WorkflowTransport {
  daprHost: string;
  daprPort: string;
  apiToken?: string | undefined;
}

export interface Step<I, O> {
  readonly name: string;
  run(input: I, ctx: { instanceId: string; activityId: string }): Promise<O>;
  /** Undoes `run`; receives the step's input and output (undefined when run failed: Saga.run's `undoOnFailure`). Must be idempotent. */
  compensate?(input: I, output: O | undefined, ctx: { instanceId: string; activityId: string }): Promise<void>;
}

export function defineStep<I, O>(step: Step<I, O>): Step<I, O> {
  return step;
}

const compensationName = (step: string) => `${step}.compensate`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- input and output types are erased in lists of steps
export type AnyStep = Step<any, any>;

/**
 * The message an activity threw, without the SDK's wrapping
 * ("<instance>: Activity task #3 failed: …"): what a saga records as its reason.
 */
export function failureReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^.*?Activity task #\d+ failed: /s, '');
}

/**
 * How a step that failed because something could not be reached is tried again: after 1 s, then
 * twice as long each time up to `maxDelaySeconds`, while the next try would start within
 * `budgetSeconds` of the first. Durable timers: a restart of the service meanwhile changes nothing.
 */
export interface StepRetry {
  budgetSeconds: number;
  maxDelaySeconds: number;
}

let stepRetry: StepRetry = { budgetSeconds: 60, maxDelaySeconds: 5 };

/** The retry of every workflow step of this process (the service's WORKFLOW_RETRY_* settings). */
export function configureStepRetry(policy: StepRetry): void {
  stepRetry = { ...policy };
}

/**
 * What an activity throws for a transient failure: the workflow sees its class name
 * (the SDK keeps the constructor's name as the failure's type) and tries the step again.
 */
export class TransientStepError extends Error {
  override readonly name = 'TransientStepError';
}

function wasTransient(err: unknown): boolean {
  return (err as { details?: { errorType?: unknown } } | null)?.details?.errorType === TransientStepError.name;
}

/**
 * Calls an activity from a workflow, trying it again while it fails transiently and the budget
 * lasts: `const out = yield* callStep(wf, step.name, input)`. A refusal, or the last transient
 * failure once the budget is spent, is thrown to the workflow (which then compensates).
 */
// eslint-disable-next-line @typescript-eslint/require-await -- the SDK drives workflows as async generators
export async function* callStep<O>(ctx: WorkflowContext, name: string, input: unknown, policy: StepRetry = stepRetry): AsyncGenerator<unknown, O, unknown> {
  const first = ctx.getCurrentUtcDateTime().getTime();
  for (let attempt = 0; ; attempt++) {
    try {
      return (yield ctx.callActivity(name, input)) as O;
    } catch (err) {
      if (!wasTransient(err)) throw err;
      const delay = Math.min(policy.maxDelaySeconds, 2 ** attempt);
      const elapsed = (ctx.getCurrentUtcDateTime().getTime() - first) / 1000;
      if (elapsed + delay > policy.budgetSeconds) throw err;
      yield ctx.createTimer(delay);
    }
  }
}

/** Tracks the steps done in one workflow run so they can be undone in reverse. */
export class Saga {
  private readonly done: { step: AnyStep; input: unknown; output: unknown }[] = [];
  constructor(
    private readonly ctx: WorkflowContext,
    private readonly retry: StepRetry = stepRetry,
  ) {}

  /**
   * Runs a step as an activity: `const out = yield* saga.run(step, input)`, tried again while it
   * fails transiently (a peer or the database away) within the retry budget (callStep).
   * `undoOnFailure`: the step's effect may exist although it failed (its answer was lost on the
   * way back), so its compensation runs even then, with no output; it must tolerate nothing to undo.
   */
   
  async *run<I, O>(step: Step<I, O>, input: I, options: { undoOnFailure?: boolean } = {}): AsyncGenerator<unknown, O, unknown> {
    let output: O;
    try {
      output = yield* callStep<O>(this.ctx, step.name, input, this.retry);
    } catch (err) {
      if (options.undoOnFailure) this.done.push({ step, input, output: undefined });
      throw err;
    }
    this.done.push({ step, input, output });
    return output;
  }

  /**
   * Runs the compensation of every completed step, newest first, each tried again
   * like a step while it fails transiently. One that fails does not stop the others; afterwards the failures are thrown
   * together, so the workflow can still end in a terminal state.
   */
   
  async *compensate(): AsyncGenerator<unknown, void, unknown> {
    const failures: string[] = [];
    for (const { step, input, output } of [...this.done].reverse()) {
      if (!step.compensate) continue;
      try {
        yield* callStep(this.ctx, compensationName(step.name), { input, output }, this.retry);
      } catch (err) {
        failures.push(`${step.name}: ${failureReason(err)}`);
      }
    }
    this.done.length = 0;
    if (failures.length) throw new Error(`undoing failed for ${failures.join('; ')}`);
  }
}

/** The Dapr JS SDK runs workflows written as async generators only. */
export type WorkflowFn<I, O> = (ctx: WorkflowContext, input: I) => AsyncGenerator<unknown, O, unknown>;

export interface WorkflowDefinition<I, O> {
  readonly name: string;
  readonly fn: WorkflowFn<I, O>;
  readonly steps: readonly AnyStep[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- erased in lists; checked where defined
export type AnyWorkflowDefinition = WorkflowDefinition<any, any>;

export function defineWorkflow<I, O>(name: string, steps: readonly AnyStep[], fn: WorkflowFn<I, O>): WorkflowDefinition<I, O> {
  return { name, fn, steps };
}

function activityCtx(ctx: WorkflowActivityContext) {
  return { instanceId: ctx.getWorkflowInstanceId(), activityId: `${ctx.getWorkflowInstanceId()}:${ctx.getWorkflowActivityId()}` };
}

/**
 * A step a peer refused (4xx: out of stock, a declined card, a limit) is the
 * saga's business: it compensates and the order says why. Logged at info, so
 * an error line means something is wrong with the platform.
 */
function refusedByPeer(err: Error | undefined): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) {
    if (e instanceof InvocationError) return e.status >= 400 && e.status < 500;
  }
  return false;
}

/** An activity's outcome, its transient failures thrown as TransientStepError (same message) for callStep to see. */
async function marked<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (err) {
    if (isTransient(err)) throw new TransientStepError(err instanceof Error ? err.message : String(err), { cause: err });
    throw err;
  }
}

/** The SDK's workflow logs, as JSON lines through the service's logger. */
function sdkLogger(logger: Logger): LoggerService {
  const write = (level: 'error' | 'warn' | 'info' | 'debug') => (message: unknown, ...rest: unknown[]) => {
    const err = rest.find((r): r is Error => r instanceof Error);
    // a refusal is the saga's business (info); an outage it rides out by trying again is a warning
    // the sidecar ending the work-item stream as it stops (gRPC CANCELLED) is how a stop looks, not a failure
    const stopping = grpcCode(err) === 1 || /\b1 CANCELLED: shutting down/.test(String(message));
    const at = level === 'error' && (refusedByPeer(err) || stopping) ? 'info' : level === 'error' && (err instanceof TransientStepError || isTransient(err)) ? 'warn' : level;
    logger[at](err ? { err } : {}, String(message));
  };
  return { error: write('error'), warn: write('warn'), info: write('debug'), verbose: write('debug'), debug: write('debug') };
}

/**
 * @dapr/dapr 3.18's durabletask worker, executor and client build their own
 * loggers and ignore the `logger` option, printing plain text to the console.
 * Route the SDK's console logger through ours so every line stays JSON.
 */
function routeSdkConsoleLogs(target: LoggerService): void {
  const proto = ConsoleLoggerService.prototype as unknown as Record<keyof LoggerService, (m: unknown, ...r: unknown[]) => void>;
  for (const level of ['error', 'warn', 'info', 'verbose', 'debug'] as const) {
    proto[level] = (message, ...rest) => target[level](message, ...rest);
  }
}

interface WorkflowSdk {
  WorkflowRuntime: typeof WorkflowRuntime;
  DaprWorkflowClient: typeof DaprWorkflowClient;
  LogLevel: typeof LogLevel;
}

/** Registers workflows and their steps and runs them against the sidecar. */
export class Workflows {
  runtime: WorkflowRuntime;
  /** The SDK's client behind `client`, replaced when the sidecar came back. */
  private sdkClient: DaprWorkflowClient;
  /** The workflow client the service uses: its calls end within 10 s, and it follows the sidecar's restarts. */
  readonly client: DaprWorkflowClient;
  private started = false;
  private readonly defs: AnyWorkflowDefinition[] = [];
  private readonly options;
  private watchdog: NodeJS.Timeout | undefined;
  private reconnecting: Promise<void> | undefined;
  /** The sidecar was found away and the runtime has not reconnected since: client calls fail at once. */
  private away = false;

  private constructor(
    private readonly sdk: WorkflowSdk,
    transport: WorkflowTransport,
    private readonly logger: Logger,
  ) {
    this.options = {
      daprHost: transport.daprHost,
      daprPort: transport.daprPort,
      ...(transport.apiToken ? { daprApiToken: transport.apiToken } : {}),
      // each runtime and client its own connection, tried again within 2 s: gRPC shares one connection per
      // address across clients, and after a 15 s sidecar restart the shared one sat in its back-off (up to
      // 120 s), so the runtime and client made on the sidecar's return failed "No connection established"
      grpcOptions: { 'grpc.use_local_subchannel_pool': 1, 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2_000 },
      logger: { level: sdk.LogLevel.Verbose, service: sdkLogger(logger.child({ component: 'dapr-workflow' })) },
    };
    this.runtime = new sdk.WorkflowRuntime(this.options);
    this.sdkClient = new sdk.DaprWorkflowClient(this.options);
    this.client = bounded(() => this.sdkClient, CLIENT_CALL_TIMEOUT_MS, () => this.gate());
    routeSdkConsoleLogs(this.options.logger.service);
  }

  static create(transport: WorkflowTransport, logger: Logger): Promise<Workflows> {
    // the workflow modules alone, loaded on first use: @dapr/dapr's index loads every client and
    // server of the SDK (+22 MiB); a require, not import(), so tests and node load them alike
    /* eslint-disable @typescript-eslint/no-require-imports */
    const runtime = require('@dapr/dapr/workflow/runtime/WorkflowRuntime') as { default: typeof WorkflowRuntime };
    const client = require('@dapr/dapr/workflow/client/DaprWorkflowClient') as { default: typeof DaprWorkflowClient };
    const level = require('@dapr/dapr/types/logger/LogLevel') as { LogLevel: typeof LogLevel };
    /* eslint-enable @typescript-eslint/no-require-imports */
    return Promise.resolve(new Workflows({ WorkflowRuntime: runtime.default, DaprWorkflowClient: client.default, LogLevel: level.LogLevel }, transport, logger));
  }

  register(...defs: AnyWorkflowDefinition[]): this {
    this.defs.push(...defs);
    registerOn(this.runtime, defs);
    return this;
  }

  async start(): Promise<void> {
    await this.runtime.start();
    this.started = true;
    this.logger.info('workflow runtime started');
  }

  /**
   * Watches the sidecar and reconnects after it restarted. The SDK's worker keeps one gRPC
   * stream of work items open; when the sidecar dies alone (the app stays up) the stream fails
   * and the SDK's own retry backs off for up to 30 s. So, once the sidecar answers again after
   * having been away, a new runtime and client take over (the old ones are stopped); work items
   * the sidecar holds for this app then flow again.
   *
   * While the sidecar is away, and until its return hosts this app's workflow actors again,
   * the client's calls do not reach it: they fail at once as unavailable (away) or wait for the
   * reconnect (back, not hosting yet). A call that reaches a sidecar before the worker's stream
   * registered the workflow actors finds no host for them, and daprd 1.18 keeps the lookup's
   * in-flight claim (placement.LookupActor returns on the error without releasing it): when the
   * types then arrive, the dissemination waits 2 s for claims that are never released and
   * cancels them, and every workflow of the app waits with it. Probed every `everyMs` while
   * present, every AWAY_POLL_MS while away.
   */
  watch(probe: { healthy: () => Promise<boolean>; hosting: () => Promise<boolean> }, everyMs = 1_000): void {
    const tick = async () => {
      if (!this.started) return;
      if (!(await probe.healthy())) {
        if (!this.away) this.logger.warn('sidecar away: workflows wait for it');
        this.away = true;
        return;
      }
      if (!this.away) return;
      this.reconnecting = this.reconnect(probe.hosting).finally(() => (this.reconnecting = undefined));
      await this.reconnecting;
    };
    const next = () => {
      this.watchdog = setTimeout(() => void tick().finally(() => this.watchdog && next()), this.away ? AWAY_POLL_MS : everyMs);
      this.watchdog.unref();
    };
    next();
  }

  /** What a client call waits for first: nothing while the sidecar is present, the reconnect once it is back. */
  private async gate(): Promise<void> {
    if (this.reconnecting) await this.reconnecting;
    if (this.away) throw new UnavailableError('the sidecar is away: workflows wait for it');
  }

  private async reconnect(hosting: () => Promise<boolean>): Promise<void> {
    const [oldRuntime, oldClient] = [this.runtime, this.sdkClient];
    try {
      const runtime = new this.sdk.WorkflowRuntime(this.options);
      registerOn(runtime, this.defs);
      await runtime.start();
      [this.runtime, this.sdkClient] = [runtime, new this.sdk.DaprWorkflowClient(this.options)];
      // the worker's stream opens in the background; the sidecar registers the workflow actors when it arrives
      const waited = await until(hosting, HOSTING_WAIT_MS);
      this.away = false;
      this.logger.info({ waitedMs: waited }, 'sidecar back: workflow runtime reconnected');
    } catch (err) {
      this.logger.warn({ err }, 'sidecar back but the workflow runtime could not reconnect; tried again at the next probe');
      return;
    }
    await oldRuntime.stop().catch(() => undefined);
    // the old client is closed once the calls it was given have ended (each within its bound): a gRPC call
    // waiting for a connection when its channel closes may never end (four checkouts held order's admission
    // slots for good after a sidecar restart)
    setTimeout(() => void oldClient.stop().catch(() => undefined), CLIENT_CALL_TIMEOUT_MS * 2).unref();
  }

  async stop(): Promise<void> {
    const watchdog = this.watchdog;
    this.watchdog = undefined;
    clearTimeout(watchdog);
    await this.reconnecting;
    if (this.started) await this.runtime.stop().catch((err: unknown) => this.logger.warn({ err }, 'workflow runtime stop failed'));
    await this.sdkClient.stop().catch(() => undefined);
    this.started = false;
  }
}

/** The engine's answer to a start whose instance id is taken: the workflow runs already (gRPC ALREADY_EXISTS). */
export function isAlreadyStarted(err: unknown): boolean {
  return grpcCode(err) === 6;
}

/**
 * Starts workflow `name` as instance `id` unless it runs already: a retried request whose first
 * try started it (its answer lost, or the engine's state not readable while the scheduler was
 * away) is not an error. Answers whether this call started it.
 */
export async function startOnce(client: DaprWorkflowClient, name: string, input: unknown, id: string): Promise<boolean> {
  try {
    await client.scheduleNewWorkflow(name, input, id);
    return true;
  } catch (err) {
    if (isAlreadyStarted(err)) return false;
    throw err;
  }
}

/** How long a call of the workflow client may take before it fails as unavailable (503). */
const CLIENT_CALL_TIMEOUT_MS = 10_000;
/** How often a sidecar found away is asked whether it is back. */
const AWAY_POLL_MS = 100;
/** How long a reconnect waits for the sidecar to host the workflow actors again; past it, calls go through regardless. */
const HOSTING_WAIT_MS = 5_000;
const HOSTING_POLL_MS = 25;

/** Asks `check` until it answers true or `ms` passed (a failed check counts as false); answers how long it waited. */
async function until(check: () => Promise<boolean>, ms: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check().catch(() => false)) break;
    await new Promise((r) => setTimeout(r, HOSTING_POLL_MS));
  }
  return Date.now() - started;
}

/** The calls that wait for a workflow on purpose, with a timeout of their own. */
const WAITING = new Set<PropertyKey>(['waitForWorkflowStart', 'waitForWorkflowCompletion', 'stop']);

/**
 * The current SDK client with every call bounded: the SDK's gRPC calls have no deadline, and one
 * waiting on a connection that never comes would hold its request (and an admission slot) for good.
 * A call over its bound fails with UnavailableError (503, transient to a workflow step); the call
 * itself may still land, so callers keep to operations that are safe to repeat. Each call passes
 * `gate` first (the sidecar away or not yet hosting the workflow actors: Workflows.watch).
 */
function bounded(current: () => DaprWorkflowClient, ms: number, gate: () => Promise<void>): DaprWorkflowClient {
  // the first client is only the target's shape: every property is read from the current one
  return new Proxy(current(), {
    get(_target, prop) {
      const value: unknown = Reflect.get(current(), prop);
      if (typeof value !== 'function') return value;
      if (prop === 'stop') return (value as () => unknown).bind(current());
      return async (...args: unknown[]): Promise<unknown> => {
        await gate();
        // the client of the moment: a reconnect the gate waited for may have replaced it
        const client = current();
        const fn = Reflect.get(client, prop) as (...a: unknown[]) => unknown;
        const result = fn.apply(client, args);
        if (WAITING.has(prop) || !(result instanceof Promise)) return result;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new UnavailableError(`the workflow engine did not answer ${String(prop)} within ${ms} ms`)), ms);
        });
        return Promise.race([result as Promise<unknown>, late]).finally(() => clearTimeout(timer));
      };
    },
  });
}

/** Registers each workflow and its steps (and their compensations) with a runtime, every step once. */
function registerOn(runtime: WorkflowRuntime, defs: readonly AnyWorkflowDefinition[]): void {
  const seen = new Set<string>();
  for (const def of defs) {
    runtime.registerWorkflowWithName(def.name, def.fn);
    for (const step of def.steps) {
      if (seen.has(step.name)) continue;
      seen.add(step.name);
      runtime.registerActivityWithName(step.name, (ctx: WorkflowActivityContext, input: unknown) => marked(step.run(input, activityCtx(ctx))));
      if (step.compensate) {
        runtime.registerActivityWithName(compensationName(step.name), async (ctx: WorkflowActivityContext, arg: unknown) => {
          const { input, output } = arg as { input: unknown; output: unknown };
          await marked(step.compensate!(input, output, activityCtx(ctx)));
        });
      }
    }
  }
}
