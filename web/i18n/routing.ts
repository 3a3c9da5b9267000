import { defineRouting } from 'next-intl/routing';

/** Every page lives under its language: /zh-CN/… and /en/…; Chinese first. */
export const routing = defineRouting({
  locales: ['zh-CN', 'en'],
  defaultLocale: 'zh-CN',
});
export type Locale = (typeof routing.locales)[number];
