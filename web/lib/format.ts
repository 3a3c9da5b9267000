import type { Locale } from '@/i18n/routing';

/** Money in minor units, as people of the locale write it: ¥68.00 / CN¥68.00. */
export function formatMoney(m: { amount: number; currency: string }, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency }).format(m.amount / 100);
}

/** The text of a bilingual field in the page's language. */
export function pick(text: { 'zh-CN': string; en: string }, locale: Locale): string {
  return text[locale];
}
