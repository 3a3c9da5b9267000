'use client';

import { useLocale } from 'next-intl';
import { usePathname, useRouter } from '@/i18n/navigation';
import { routing } from '@/i18n/routing';

/** The other language, on the same page. */
export function LanguageSwitcher({ label, switchTo }: { label: string; switchTo: string }) {
  const locale = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const other = routing.locales.find((l) => l !== locale)!;
  return (
    <button type="button" className="language" aria-label={`${label}: ${switchTo}`} lang={other} onClick={() => router.replace(pathname, { locale: other })}>
      {switchTo}
    </button>
  );
}
