import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { redirect } from '@/i18n/navigation';
import { me } from '@/lib/data/account';
import { logOutAction } from '../login/actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account'))('title') };
}

/** A page for signed-in people: without a session it sends the visitor to sign in and back. */
export default async function AccountPage() {
  const user = await me();
  if (!user) return redirect({ href: { pathname: '/login', query: { next: '/account' } }, locale: await getLocale() });
  const t = await getTranslations('account');
  return (
    <section className="narrow">
      <h1>{t('title')}</h1>
      <dl>
        <dt>{t('name')}</dt>
        <dd>{user.displayName}</dd>
        <dt>{t('email')}</dt>
        <dd>{user.email ?? '—'}</dd>
      </dl>
      <form action={logOutAction}>
        <button type="submit">{t('logOut')}</button>
      </form>
    </section>
  );
}
