import { hasLocale } from 'next-intl';
import { getRequestConfig } from 'next-intl/server';
import { routing } from './routing';

// next/root-params would replace requestLocale, but its types exist only after `next build` generates
// them, and the typecheck runs before any build
// eslint-disable-next-line @typescript-eslint/no-deprecated
export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale = hasLocale(routing.locales, requested) ? requested : routing.defaultLocale;
  const messages = (locale === 'en' ? await import('../messages/en.json') : await import('../messages/zh-CN.json')).default;
  return { locale, messages, timeZone: 'Asia/Shanghai' };
});
