import { readFileSync } from 'node:fs';
import { WorkflowRuntimeStatus } from '@dapr/dapr/workflow/runtime/WorkflowRuntimeStatus';
import { UnavailableError } from '@emporium/kit';
import { startTestPlatform, type TestApp, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { approvalEvent, sagaService, sagaWorkflow, stepsOf, type SagaResult } from './fixtures/saga-service';

describe('workflows through a real sidecar and scheduler', () => {
  let platform: TestPlatform;
  let app: TestApp;
  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    app = await platform.startApp(sagaService, { appId: 'kit-saga' });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const client = () => app.service.workflows!.client;

  async function runToEnd(input: { failCharge: boolean; approvalTimeoutSeconds: number }, approve: boolean) {
    const orderId = uniqueSuffix();
    const id = await client().scheduleNewWorkflow(sagaWorkflow.name, { orderId, ...input }, `saga-${orderId}`);
    await client().waitForWorkflowStart(id, false, 30);
    if (approve) {
      // the event may arrive before the workflow waits for it; Dapr buffers it
      await client().raiseEvent(id, approvalEvent, { by: 'test' });
    }
    const state = await client().waitForWorkflowCompletion(id, true, 60);
    return { id, state, result: JSON.parse(state?.serializedOutput ?? 'null') as SagaResult };
  }

  it('when approval arrives, then both activities run and the workflow completes', async () => {
    const { id, state, result } = await runToEnd({ failCharge: false, approvalTimeoutSeconds: 30 }, true);
    expect(state?.runtimeStatus).toBe(WorkflowRuntimeStatus.COMPLETED);
    expect(result).toEqual({ status: 'completed' });
    expect(await stepsOf(app.service.deps.db, id)).toEqual(['reserve', 'charge']);
  });

  it('when no approval arrives before the timer, then the reservation is undone', async () => {
    const { id, result } = await runToEnd({ failCharge: false, approvalTimeoutSeconds: 2 }, false);
    expect(result).toEqual({ status: 'timed_out' });
    expect(await stepsOf(app.service.deps.db, id)).toEqual(['reserve', 'release']);
  });

  it('when the sidecar restarts alone, then calls meanwhile are refused as unavailable, and none reaches it before it hosts the workflows again', async () => {
    const restarted = app.restartSidecar(2_500);
    // the watchdog asks every second: by now it found the sidecar away, and a call is refused without reaching it
    await new Promise((r) => setTimeout(r, 1_500));
    await expect(client().getWorkflowState('saga-nobody', false)).rejects.toBeInstanceOf(UnavailableError);
    const { logFile, offset } = await restarted;
    // as a client honouring 503 would: again shortly, until the reconnect lets the call through
    let outcome: Awaited<ReturnType<typeof runToEnd>> | undefined;
    for (let tries = 0; !outcome && tries < 50; tries++) {
      outcome = await runToEnd({ failCharge: false, approvalTimeoutSeconds: 30 }, true).catch(async (err: unknown) => {
        if (!(err instanceof UnavailableError)) throw err;
        await new Promise((r) => setTimeout(r, 100));
        return undefined;
      });
    }
    expect(outcome?.result).toEqual({ status: 'completed' });
    // a call before the worker's stream registered the workflow actors finds no host, and daprd
    // keeps its claim: the next dissemination then stalls 2 s ("in-flight lock claims") for all.
    // (A call let through between the sidecar's own registration and placement's new table may
    // still meet one not-found retry on a loaded machine: seen once in CI, without the stall.)
    const after = readFileSync(logFile, 'utf8').slice(offset);
    expect(after).not.toMatch(/in-flight lock claims/);
  });

  it('when the second activity fails, then the first is compensated', async () => {
    const { id, result } = await runToEnd({ failCharge: true, approvalTimeoutSeconds: 30 }, true);
    expect(result.status).toBe('compensated');
    expect(result).toEqual(expect.objectContaining({ reason: expect.stringContaining('card declined') }));
    expect(await stepsOf(app.service.deps.db, id)).toEqual(['reserve', 'release']);
  });
});
