'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { followInbox } from '@/lib/inbox-stream';

/**
 * Renders the page again when the signed-in user's inbox hears something new
 * (the order shipped, a refund decided: each step is a message), over the
 * same Server-Sent Events as the header's badge; the first event is the
 * inbox as it was when the page loaded, and changes nothing.
 */
export function RefreshOnNews() {
  const router = useRouter();
  useEffect(() => {
    let first: string | null = null;
    return followInbox((version) => {
      // the version is `<own>-<broadcasts>`: a broadcast to everyone is no news of this order
      const own = version.split('-')[0] ?? '';
      if (first === null) first = own;
      else if (own !== first) {
        first = own;
        router.refresh();
      }
    });
  }, [router]);
  return null;
}
