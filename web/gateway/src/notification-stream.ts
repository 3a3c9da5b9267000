import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotificationPublic } from '@emporium/contracts';
import type { GatewayDeps } from './gateway';
import { sendProblem } from './gateway';
import { getThroughSidecar, Refused } from './sidecar';

const VERSION = /^\d{1,19}-\d{1,19}$/;
/** streams open in this replica, and per user */
let open = 0;
const perUser = new Map<string, number>();
/** web's session cookie (web/lib/session.ts): a browser's EventSource cannot send a bearer token */
const SESSION_COOKIE = 'emporium_at';

function tokenOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value.length) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * `GET /api/v1/me/notifications/stream`: the caller's inbox as Server-Sent
 * Events. Each `unread` event carries the unread count, its id the inbox's
 * version; a client reconnecting with `Last-Event-ID` hears only what it
 * missed. Between events the stream waits on notification's long poll
 * (`/me/notifications/changes`), which PostgreSQL's NOTIFY wakes on whichever
 * notification replica wrote, so any number of web replicas serve it alike.
 * A token that stops being valid ends the stream with `expired`.
 */
export async function notificationStream(deps: GatewayDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // a client that did not ask for a stream (a plain GET, a probe) gets an answer, not a connection held open
  if (!(req.headers.accept ?? '').includes('text/event-stream')) return sendProblem(res, 406, 'not_acceptable', 'This is an event stream: ask with Accept: text/event-stream');
  const token = tokenOf(req);
  if (!token) return sendProblem(res, 401, 'unauthenticated', 'Sign in to follow your messages', { 'www-authenticate': 'Bearer' });
  if (open >= deps.config.GATEWAY_MAX_STREAMS) return sendProblem(res, 503, 'overloaded', 'Too many live streams here; try again shortly', { 'retry-after': '5' });
  // one user's tabs share the replica's streams fairly: past their own cap, the oldest tabs keep theirs
  const user = await deps.subjects.subjectOf(token);
  if (!user) return sendProblem(res, 401, 'unauthenticated', 'The token is not valid', { 'www-authenticate': 'Bearer' });
  const mine = perUser.get(user) ?? 0;
  if (mine >= deps.config.GATEWAY_MAX_STREAMS_PER_USER) return sendProblem(res, 429, 'too_many_streams', `At most ${deps.config.GATEWAY_MAX_STREAMS_PER_USER} live streams per user; close a tab or try again later`, { 'retry-after': '30' });
  open++;
  perUser.set(user, mine + 1);
  try {
    await follow(deps, req, res, token);
  } finally {
    open--;
    const left = (perUser.get(user) ?? 1) - 1;
    if (left > 0) perUser.set(user, left);
    else perUser.delete(user);
  }
}

async function follow(deps: GatewayDeps, req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
  const last = req.headers['last-event-id'];
  let after = typeof last === 'string' && VERSION.test(last) ? last : undefined;
  const ask = (query: string, signal: AbortSignal) => getThroughSidecar(deps.streams, deps.config, NotificationPublic.watchMyNotifications, { authorization: `Bearer ${token}` }, query, signal);

  // the first answer decides between a stream and a refusal
  const closed = new AbortController();
  const gone = () => closed.signal.aborted;
  res.once('close', () => closed.abort());
  let now;
  try {
    now = await ask(after ? `after=${after}&waitMs=0` : 'waitMs=0', closed.signal);
  } catch (err) {
    if (gone()) return;
    if (err instanceof Refused && err.status === 401) return sendProblem(res, 401, 'unauthenticated', 'The token is not valid', { 'www-authenticate': 'Bearer' });
    deps.log('warn', 'notification stream could not start', { error: err instanceof Error ? err.message : String(err) });
    return sendProblem(res, 503, 'upstream_unavailable', 'notification did not answer; try again shortly', { 'retry-after': '3' });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write('retry: 3000\n\n');
  const send = (v: { version: string; unread: number }) => {
    if (v.version === after) return res.write(': still here\n\n');
    after = v.version;
    return res.write(`id: ${v.version}\nevent: unread\ndata: ${JSON.stringify({ unread: v.unread })}\n\n`);
  };
  send(now);
  while (!gone()) {
    try {
      send(await ask(`after=${after}&waitMs=8000`, closed.signal));
    } catch (err) {
      if (gone()) break;
      if (err instanceof Refused && err.status === 401) {
        res.write('event: expired\ndata: {}\n\n');
        break;
      }
      res.write(': waiting for the inbox\n\n');
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
  res.end();
}
