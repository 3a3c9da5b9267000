import { NotificationPublic } from '@emporium/contracts';
import { sessionToken } from '@/lib/data/account';
import { call, ServiceError } from '@/lib/data/sidecar';

export const dynamic = 'force-dynamic';

const VERSION = /^\d{1,19}-\d{1,19}$/;

/**
 * The signed-in user's inbox as Server-Sent Events: an `unread` event with
 * the count each time the inbox changes (a message came, one was read),
 * its id the inbox's version, so a browser that reconnects with
 * `Last-Event-ID` hears only what it missed. It waits on notification's long
 * poll, which PostgreSQL's NOTIFY wakes on whichever replica wrote: any
 * number of web and notification replicas serve it. A session that expired
 * ends the stream with `expired` (the next page refreshes it).
 */
export async function GET(req: Request): Promise<Response> {
  const token = await sessionToken();
  if (!token) return new Response(null, { status: 401 });
  const last = req.headers.get('last-event-id');
  let after = last && VERSION.test(last) ? last : undefined;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      send('retry: 3000\n\n');
      try {
        while (!req.signal.aborted) {
          let now;
          try {
            now = await call(NotificationPublic.watchMyNotifications, { token, query: { after, waitMs: after ? 8_000 : 0 } });
          } catch (err) {
            if (err instanceof ServiceError && err.status === 401) {
              send('event: expired\ndata: {}\n\n');
              break;
            }
            // notification busy or restarting: say so as a comment, and try again shortly
            send(': waiting for the inbox\n\n');
            await new Promise((r) => setTimeout(r, 3_000));
            continue;
          }
          if (now.version !== after) {
            send(`id: ${now.version}\nevent: unread\ndata: ${JSON.stringify({ unread: now.unread })}\n\n`);
            after = now.version;
          } else send(': still here\n\n');
        }
      } catch {
        // the browser went away mid-write
      } finally {
        try {
          controller.close();
        } catch {
          // closed already
        }
      }
    },
  });
  // (no compression: it would hold events back until a buffer fills)
  return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'content-encoding': 'none', 'x-accel-buffering': 'no' } });
}
