import { createSimulator } from './app';
import { loadConfig } from './config';

const config = loadConfig();
const log = (msg: string, fields: Record<string, unknown> = {}) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), app: 'carrier-sim', msg, ...fields })}\n`);
const { app, stop } = createSimulator({
  apiKey: config.CARRIER_API_KEY,
  webhookSecret: config.CARRIER_WEBHOOK_SECRET,
  stepMs: config.CARRIER_STEP_MS,
  retryMs: config.CARRIER_RETRY_MS,
  log,
});
const server = app.listen(config.PORT, config.HOST, () => log('listening', { port: config.PORT, stepMs: config.CARRIER_STEP_MS }));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    stop();
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
