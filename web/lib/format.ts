import { hasLocale } from 'next-intl';
import { routing, type Locale } from '@/i18n/routing';

/** Money in minor units, as people of the locale write it: ¥68.00 / CN¥68.00. */
export function formatMoney(m: { amount: number; currency: string }, locale: Locale): string {
  // a page renders beside its layout: for a path with no such language the layout answers 404, and the
  // page must not throw meanwhile (a RangeError logged as a server error for every probe of /xx/…)
  const tag = hasLocale(routing.locales, locale) ? locale : routing.defaultLocale;
  return new Intl.NumberFormat(tag, { style: 'currency', currency: m.currency }).format(m.amount / 100);
}

/** The text of a bilingual field in the page's language. */
export function pick(text: { 'zh-CN': string; en: string }, locale: Locale): string {
  return hasLocale(routing.locales, locale) ? text[locale] : text[routing.defaultLocale];
}
