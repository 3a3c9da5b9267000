/**
 * Follows the signed-in user's inbox over /api/v1/me/notifications/stream and
 * keeps following: a browser's EventSource gives up for good on an answer
 * other than 200 (503 while busy, 401 once the session's token expired) and
 * on our `expired` event, so this opens it again after a pause that doubles
 * up to a minute (the next page view has refreshed the session meanwhile).
 * Returns a function that stops it.
 */
export function followInbox(onVersion: (version: string, unread: number) => void): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
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
      if (typeof n === 'number') onVersion((e as MessageEvent<string>).lastEventId, n);
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
