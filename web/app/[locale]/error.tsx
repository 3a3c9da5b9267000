'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { startTransition, useEffect } from 'react';

/** The digest web's sidecar client gives an error when a service could not be reached (lib/data/sidecar.ts). */
const UNAVAILABLE = 'EMPORIUM_UNAVAILABLE';
const RETRY_MS = 5000;

/**
 * A page that failed: a plain explanation and a way on, never a stack trace.
 * When a service was away (restarting, overloaded), the page says it is busy
 * and renders itself again from the server after a few seconds.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('error');
  const router = useRouter();
  const busy = error.digest?.startsWith(UNAVAILABLE) ?? false;
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  useEffect(() => {
    if (!busy) return;
    const timer = setTimeout(retry, RETRY_MS);
    return () => clearTimeout(timer);
  }, [busy, error]);
  return (
    <section role="alert" aria-live="polite">
      <h1>{t(busy ? 'busyTitle' : 'title')}</h1>
      <p>{t(busy ? 'busyBody' : 'body')}</p>
      <button type="button" onClick={retry}>
        {t('retry')}
      </button>
    </section>
  );
}
