import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from './config';

/**
 * A local SMTP sink, an outside party like the payment provider simulator:
 * it takes every e-mail sent to it (no authentication, no TLS: the Dapr SMTP
 * binding's development settings), keeps the last MAIL_SINK_KEEP in memory
 * and shows them over HTTP:
 *   GET    /messages?to=<address>   newest first, as JSON (subject, text, html, to, from, headers)
 *   DELETE /messages                forget them all
 *   GET    /healthz
 * Tests read what a user was sent; developers open /messages to see it.
 */
const config = loadConfig();

interface Kept {
  id: number;
  receivedAt: string;
  from: string | null;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
}

const log = (msg: string, fields: Record<string, unknown> = {}) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), app: 'mail-sink', msg, ...fields })}\n`);
const kept: Kept[] = [];
let next = 1;

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  size: 5 * 1024 * 1024,
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const headers: Record<string, string> = {};
        for (const [k, v] of mail.headers) if (typeof v === 'string') headers[k] = v;
        kept.push({ id: next++, receivedAt: new Date().toISOString(), from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, to, subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : null, headers });
        if (kept.length > config.MAIL_SINK_KEEP) kept.splice(0, kept.length - config.MAIL_SINK_KEEP);
        log('mail taken', { to, subject: mail.subject });
        callback();
      })
      .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
  },
});
smtp.on('error', (err) => log('smtp error', { error: err.message }));
smtp.listen(config.SMTP_PORT, config.HOST, () => log('smtp listening', { port: config.SMTP_PORT }));

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const http = createServer((req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? '/', 'http://mail-sink');
  if (url.pathname === '/healthz') return answer(res, 200, { status: 'ok' });
  if (url.pathname === '/messages' && req.method === 'GET') {
    const to = url.searchParams.get('to')?.toLowerCase();
    return answer(res, 200, { items: kept.filter((m) => !to || m.to.includes(to)).reverse() });
  }
  if (url.pathname === '/messages' && req.method === 'DELETE') {
    kept.length = 0;
    return answer(res, 200, { items: [] });
  }
  return answer(res, 404, { error: 'not found' });
});
http.listen(config.PORT, config.HOST, () => log('listening', { port: config.PORT }));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    smtp.close(() => undefined);
    http.close(() => process.exit(0));
    http.closeAllConnections();
  });
}
