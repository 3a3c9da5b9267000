'use client';

import { useTranslations } from 'next-intl';

/** A page that failed: a plain explanation and a way on, never a stack trace. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('error');
  return (
    <section role="alert">
      <h1>{t('title')}</h1>
      <p>{t('body')}</p>
      <button type="button" onClick={reset}>
        {t('retry')}
      </button>
    </section>
  );
}
