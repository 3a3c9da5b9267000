'use client';

import { useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import { followInbox } from '@/lib/inbox-stream';

/**
 * The header's unread count, kept live: the page renders it, then the
 * browser listens to /api/v1/me/notifications/stream (Server-Sent Events) and shows
 * each new count without a reload.
 */
export function UnreadBadge({ initial }: { initial: number }) {
  const t = useTranslations('site.nav');
  const [unread, setUnread] = useState(initial);
  // a page rendered again (read all, a message opened) brings its own count
  useEffect(() => setUnread(initial), [initial]);
  useEffect(() => followInbox((_version, n) => setUnread(n)), []);
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
