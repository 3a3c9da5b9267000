'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** Renders the page again from the server every `ms` while `active` (a payment on its way). */
export function RefreshWhile({ active, ms = 2000 }: { active: boolean; ms?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), ms);
    return () => clearInterval(timer);
  }, [active, ms, router]);
  return null;
}
