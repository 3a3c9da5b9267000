'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Time left until `endsAt`, ticking every second; rendered on the server with
 * the time of the request. The words are a sale's end by default, or a hold's.
 */
export function Countdown({ endsAt, now, words = 'sale' }: { endsAt: string; now: number; words?: 'sale' | 'hold' }) {
  const t = useTranslations('home');
  const [at, setAt] = useState(now);
  useEffect(() => {
    setAt(Date.now());
    const timer = setInterval(() => setAt(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Date.parse(endsAt) - at);
  if (left === 0) return <span>{t(words === 'sale' ? 'ended' : 'holdOver')}</span>;
  const s = Math.floor(left / 1000);
  const time = `${Math.floor(s / 86_400) > 0 ? `${Math.floor(s / 86_400)}d ` : ''}${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  return (
    <time dateTime={endsAt} aria-live="off">
      {t(words === 'sale' ? 'endsIn' : 'heldFor', { time })}
    </time>
  );
}
