import { NextResponse, type NextRequest } from 'next/server';
import { safePath } from '@/lib/safe-path';
import { REFRESH_COOKIE, REFRESHED_COOKIE, refreshTokens, writeSession } from '@/lib/session';

export const dynamic = 'force-dynamic';

/**
 * New tokens now, then back to `next`. A role granted since sign-in (a shop
 * approved, a staff invitation accepted) is only in a token identity issues
 * after the grant; the seller portal sends its visitor here once to pick it up.
 */
export async function GET(req: NextRequest) {
  const to = req.nextUrl.clone();
  const [pathname, search = ''] = safePath(req.nextUrl.searchParams.get('next'), '/').split('?');
  to.pathname = pathname!;
  to.search = search;
  const res = NextResponse.redirect(to, 303);
  const refresh = req.cookies.get(REFRESH_COOKIE)?.value;
  const pair = refresh ? await refreshTokens(refresh).catch(() => null) : null;
  if (pair) writeSession(res.cookies, pair);
  res.cookies.set(REFRESHED_COOKIE, '1', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 15 });
  return res;
}
