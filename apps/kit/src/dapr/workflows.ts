// Types only: the SDK costs about 47 MiB per process, so it is loaded only by
// services that run workflows (Workflows.create).
import type { DaprWorkflowClient, LoggerService, LogLevel, WorkflowActivityContext, WorkflowContext, WorkflowRuntime } from '@dapr/dapr';
import { ConsoleLoggerService } from '@dapr/dapr/logger/ConsoleLoggerService';
import type { Logger } from '../logger';
import { InvocationError } from './sidecar';

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

/** Tracks the steps done in one workflow run so they can be undone in reverse. */
export class Saga {
  private readonly done: { step: AnyStep; input: unknown; output: unknown }[] = [];
  constructor(private readonly ctx: WorkflowContext) {}

  /**
   * Runs a step as an activity: `const out = yield* saga.run(step, input)`.
   * `undoOnFailure`: the step's effect may exist although it failed (its answer was lost on the
   * way back), so its compensation runs even then, with no output; it must tolerate nothing to undo.
   */
  // eslint-disable-next-line @typescript-eslint/require-await -- the SDK drives workflows as async generators
  async *run<I, O>(step: Step<I, O>, input: I, options: { undoOnFailure?: boolean } = {}): AsyncGenerator<unknown, O, unknown> {
    let output: O;
    try {
      output = (yield this.ctx.callActivity(step.name, input)) as O;
    } catch (err) {
      if (options.undoOnFailure) this.done.push({ step, input, output: undefined });
      throw err;
    }
    this.done.push({ step, input, output });
    return output;
  }

  /**
   * Runs the compensation of every completed step, newest first. One that
   * fails does not stop the others; afterwards the failures are thrown
   * together, so the workflow can still end in a terminal state.
   */
  // eslint-disable-next-line @typescript-eslint/require-await -- the SDK drives workflows as async generators
  async *compensate(): AsyncGenerator<unknown, void, unknown> {
    const failures: string[] = [];
    for (const { step, input, output } of [...this.done].reverse()) {
      if (!step.compensate) continue;
      try {
        yield this.ctx.callActivity(compensationName(step.name), { input, output });
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

/** The SDK's workflow logs, as JSON lines through the service's logger. */
function sdkLogger(logger: Logger): LoggerService {
  const write = (level: 'error' | 'warn' | 'info' | 'debug') => (message: unknown, ...rest: unknown[]) => {
    const err = rest.find((r): r is Error => r instanceof Error);
    const at = level === 'error' && refusedByPeer(err) ? 'info' : level;
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
  readonly runtime: WorkflowRuntime;
  readonly client: DaprWorkflowClient;
  private started = false;

  private constructor(
    sdk: WorkflowSdk,
    transport: WorkflowTransport,
    private readonly logger: Logger,
  ) {
    const options = {
      daprHost: transport.daprHost,
      daprPort: transport.daprPort,
      ...(transport.apiToken ? { daprApiToken: transport.apiToken } : {}),
      logger: { level: sdk.LogLevel.Verbose, service: sdkLogger(logger.child({ component: 'dapr-workflow' })) },
    };
    this.runtime = new sdk.WorkflowRuntime(options);
    this.client = new sdk.DaprWorkflowClient(options);
    routeSdkConsoleLogs(options.logger.service);
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
    const seen = new Set<string>();
    for (const def of defs) {
      this.runtime.registerWorkflowWithName(def.name, def.fn);
      for (const step of def.steps) {
        if (seen.has(step.name)) continue;
        seen.add(step.name);
        this.runtime.registerActivityWithName(step.name, (ctx: WorkflowActivityContext, input: unknown) =>
          step.run(input, activityCtx(ctx)),
        );
        if (step.compensate) {
          this.runtime.registerActivityWithName(compensationName(step.name), async (ctx: WorkflowActivityContext, arg: unknown) => {
            const { input, output } = arg as { input: unknown; output: unknown };
            await step.compensate?.(input, output, activityCtx(ctx));
          });
        }
      }
    }
    return this;
  }

  async start(): Promise<void> {
    await this.runtime.start();
    this.started = true;
    this.logger.info('workflow runtime started');
  }

  async stop(): Promise<void> {
    if (this.started) await this.runtime.stop().catch((err: unknown) => this.logger.warn({ err }, 'workflow runtime stop failed'));
    await this.client.stop().catch(() => undefined);
    this.started = false;
  }
}
