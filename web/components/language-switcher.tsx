'use client';

import { useSearchParams } from 'next/navigation';
import { useLocale } from 'next-intl';
import { usePathname, useRouter } from '@/i18n/navigation';
import { routing } from '@/i18n/routing';

/** The other language, on the same page with the same query (filters, pages). */
export function LanguageSwitcher({ label, switchTo }: { label: string; switchTo: string }) {
  const locale = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const other = routing.locales.find((l) => l !== locale)!;
  return (
    <button type="button" className="language" aria-label={`${label}: ${switchTo}`} lang={other} onClick={() => router.replace({ pathname, query: Object.fromEntries(search.entries()) }, { locale: other })}>
      {switchTo}
    </button>
  );
}
