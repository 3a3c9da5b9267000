import createMiddleware from 'next-intl/middleware';
import { routing } from './i18n/routing';

/** Sends a path without a language to the visitor's (cookie, then Accept-Language, then zh-CN). */
export default createMiddleware(routing);

export const config = {
  // pages only: not the API gateway, health endpoints, Next's files or anything with a dot
  matcher: ['/((?!api|healthz|readyz|_next|_vercel|.*\\..*).*)'],
};
