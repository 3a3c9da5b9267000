// The floor of `npm run bench:checkout`: an empty workflow of the checkout's
// shape on the same runtime (the kit's Workflows over @dapr/dapr, its own
// sidecar with the platform's state store, placement and scheduler), reached
// through web's sidecar as order is. Three activities before the answer (a
// card checkout's create-orders, reserve-stock, create-payment: its quote
// travels in the workflow's input since session 29), then an external event
// raced against a timer (the payment's result against its timeout), then one
// more activity (confirm). The activities do nothing: what
// remains is what Dapr Workflow, the SDK and one service hop cost. Nothing
// here is part of the platform.
//   DAPR_GRPC_PORT=… DAPR_API_TOKEN=… node floor-app.mjs <port>
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createLogger, defineStep, defineWorkflow, Workflows } from '@emporium/kit';

const require = createRequire(import.meta.url);
const express = require('express');

const port = Number(process.argv[2]);
const logger = createLogger({ service: 'bench-floor', level: 'warn' });
/** instance id → wakes the request waiting for the third activity (the checkout's payment page) */
const pageReady = new Map();
/** instances whose last activity ran (the checkout's PAID) */
const finished = new Set();

const noop = (name) => defineStep({ name, run: async (input) => input });
const steps = [
  noop('floor.create'),
  noop('floor.reserve'),
  defineStep({
    name: 'floor.pay',
    async run(input) {
      pageReady.get(input.id)?.();
      return input;
    },
  }),
];
/** instance id → wakes the requests waiting for its end (the checkout's long poll) */
const endWaiters = new Map();
const confirm = defineStep({
  name: 'floor.confirm',
  async run(input) {
    finished.add(input.id);
    endWaiters.get(input.id)?.();
    return input;
  },
});

const floor = defineWorkflow('bench-floor', [...steps, confirm], async function* (wf, input) {
  for (const step of steps) yield wf.callActivity(step.name, input);
  const result = wf.waitForExternalEvent('payment-result');
  const timer = wf.createTimer(900);
  const winner = yield wf.whenAny([result, timer]);
  if (winner !== result) return { status: 'cancelled' };
  yield wf.callActivity(confirm.name, input);
  return { status: 'paid' };
});

const workflows = (await Workflows.create({ daprHost: '127.0.0.1', daprPort: process.env.DAPR_GRPC_PORT, apiToken: process.env.DAPR_API_TOKEN }, logger)).register(floor);

const app = express();
app.use(express.json());
// as the checkout handler: schedule, then answer once the third activity ran (5 s at most)
app.post('/floor', async (_req, res) => {
  const id = randomUUID();
  const ready = new Promise((resolve) => pageReady.set(id, resolve));
  await workflows.client.scheduleNewWorkflow(floor.name, { id }, id);
  const timedOut = await Promise.race([ready.then(() => false), new Promise((r) => setTimeout(() => r(true), 5000).unref())]);
  pageReady.delete(id);
  res.status(timedOut ? 409 : 202).json({ id });
});
// as the payment's result reaching order
app.post('/floor/:id/paid', async (req, res) => {
  await workflows.client.raiseEvent(req.params.id, 'payment-result', { status: 'succeeded' });
  res.status(202).end();
});
// as order's GET with Prefer: wait (up to 10 s): answered at the end, or when the wait is over
app.get('/floor/:id', async (req, res) => {
  const { id } = req.params;
  const wait = Math.min(10, Number(/wait=(\d+)/.exec(req.get('prefer') ?? '')?.[1] ?? 0)) * 1000;
  if (!finished.has(id) && wait > 0) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, wait);
      endWaiters.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    endWaiters.delete(id);
  }
  res.json({ status: finished.has(id) ? 'paid' : 'pending_payment' });
});
// the worker connects to the sidecar, which starts after this app answers: the benchmark says when
app.post('/start', async (_req, res) => {
  await workflows.start();
  res.status(204).end();
});
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
// eslint-disable-next-line no-unused-vars -- Express knows an error handler by its four parameters
app.use((err, _req, res, _next) => {
  logger.error({ err }, 'floor request failed');
  res.status(500).json({ error: String(err?.message ?? err) });
});
app.listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => workflows.stop().finally(() => process.exit(0)));
