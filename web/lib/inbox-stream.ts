type Listener = (version: string, unread: number) => void;

/** Everyone on this page following the inbox (the header's badge, the order page): they share one stream. */
const listeners = new Set<Listener>();
let last: { version: string; unread: number } | undefined;
let stop: (() => void) | undefined;

/**
 * Follows the signed-in user's inbox over /api/v1/me/notifications/stream and
 * keeps following: a browser's EventSource gives up for good on an answer
 * other than 200 (503 while busy, 401 once the session's token expired, 429
 * past the per-user cap) and on our `expired` event, so this opens it again
 * after a pause that doubles up to a minute (the next page view has
 * refreshed the session meanwhile). One EventSource serves every follower
 * of the page: the gateway caps streams per user, and a tab needs one.
 * Returns a function that stops following (the stream closes with its last
 * follower).
 */
export function followInbox(onVersion: Listener): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  listeners.add(onVersion);
  // a late follower hears where the inbox stands at once
  if (last) onVersion(last.version, last.unread);
  stop ??= openStream();
  return () => {
    listeners.delete(onVersion);
    if (listeners.size === 0) {
      stop?.();
      stop = undefined;
      last = undefined;
    }
  };
}

function openStream(): () => void {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pause = 3_000;
  let stopped = false;
  const again = () => {
    source?.close();
    if (stopped) return;
    timer = setTimeout(open, pause);
    pause = Math.min(pause * 2, 60_000);
  };
  function open() {
    source = new EventSource('/api/v1/me/notifications/stream');
    source.addEventListener('unread', (e) => {
      pause = 3_000;
      const n = (JSON.parse((e as MessageEvent<string>).data) as { unread?: unknown }).unread;
      if (typeof n !== 'number') return;
      last = { version: (e as MessageEvent<string>).lastEventId, unread: n };
      for (const l of [...listeners]) l(last.version, n);
    });
    source.addEventListener('expired', again);
    source.addEventListener('error', () => {
      if (source?.readyState === EventSource.CLOSED) again();
    });
  }
  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    source?.close();
  };
}
