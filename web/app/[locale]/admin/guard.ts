import 'server-only';
import { getLocale } from 'next-intl/server';
import { redirect } from '@/i18n/navigation';
import { sessionToken } from '@/lib/data/account';
import { rolesOf } from '@/lib/roles';

/** The admin's token; anyone else goes to sign in (as an admin) and back. */
export async function adminToken(back: string): Promise<string> {
  const token = await sessionToken();
  if (!rolesOf(token).some((r) => r.role === 'platform_admin')) {
    return redirect({ href: { pathname: '/login', query: { next: back } }, locale: await getLocale() });
  }
  return token!;
}
