import 'server-only';

/** One structured log line of web's pages and actions, in the shape the gateway writes (web/gateway/src/main.ts). */
export function logLine(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), app: 'web', component: 'pages', msg, ...fields });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}
