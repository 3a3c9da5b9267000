'use client';

import { useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';

/**
 * The header's unread count, kept live: the page renders it, then the
 * browser listens to /api/v1/me/notifications/stream (Server-Sent Events) and shows
 * each new count without a reload.
 */
export function UnreadBadge({ initial }: { initial: number }) {
  const t = useTranslations('site.nav');
  const [unread, setUnread] = useState(initial);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return undefined;
    const source = new EventSource('/api/v1/me/notifications/stream');
    source.addEventListener('unread', (e) => {
      const n = (JSON.parse((e as MessageEvent<string>).data) as { unread?: unknown }).unread;
      if (typeof n === 'number') setUnread(n);
    });
    source.addEventListener('expired', () => source.close());
    return () => source.close();
  }, []);
  if (unread <= 0) return null;
  return (
    <span className="badge" data-testid="unread-badge">
      <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
      <span className="sr-only" aria-live="polite">
        {t('unread', { count: unread })}
      </span>
    </span>
  );
}
