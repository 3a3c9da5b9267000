import { createSimulator } from './app';
import { loadConfig } from './config';

const config = loadConfig();
const log = (msg: string, fields: Record<string, unknown> = {}) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), app: 'provider-sim', msg, ...fields })}\n`);
const { app } = createSimulator({
  apiKey: config.PROVIDER_API_KEY,
  webhookSecret: config.PROVIDER_WEBHOOK_SECRET,
  ...(config.PROVIDER_WEBHOOK_URL ? { webhookUrl: config.PROVIDER_WEBHOOK_URL } : {}),
  publicUrl: config.PROVIDER_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`,
  delayMs: config.PROVIDER_DELAY_MS,
  retryMs: config.PROVIDER_RETRY_MS,
  log,
});
const server = app.listen(config.PORT, config.HOST, () => log('listening', { port: config.PORT }));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
