'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Renders the page again when the signed-in user's inbox hears something new
 * (the order shipped, a refund decided: each step is a message), over the
 * same Server-Sent Events as the header's badge; the first event is the
 * inbox as it was when the page loaded, and changes nothing.
 */
export function RefreshOnNews() {
  const router = useRouter();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return undefined;
    const source = new EventSource('/api/v1/me/notifications/stream');
    let first: string | null = null;
    source.addEventListener('unread', (e) => {
      const id = (e as MessageEvent<string>).lastEventId;
      if (first === null) first = id;
      else if (id !== first) router.refresh();
    });
    source.addEventListener('expired', () => source.close());
    return () => source.close();
  }, [router]);
  return null;
}
