import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { ProfileForm } from '@/components/account-forms';
import { Link, redirect } from '@/i18n/navigation';
import { me } from '@/lib/data/account';
import { logOutAction } from '../login/actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account'))('title') };
}

/** The profile (name, preferred language), the login names, and the way to addresses, password and signing out. */
export default async function AccountPage({ searchParams }: { searchParams: Promise<{ saved?: string }> }) {
  const [user, { saved }] = await Promise.all([me(), searchParams]);
  if (!user) return redirect({ href: { pathname: '/login', query: { next: '/account' } }, locale: await getLocale() });
  const t = await getTranslations('account');
  return (
    <section className="narrow">
      <h1>{t('title')}</h1>
      {saved ? <p role="status">{t('saved')}</p> : null}
      <dl>
        <dt>{t('email')}</dt>
        <dd>{user.email ?? '—'}</dd>
        <dt>{t('phone')}</dt>
        <dd>{user.phone ?? '—'}</dd>
      </dl>
      <ProfileForm user={user} />
      <ul>
        <li>
          <Link href="/account/addresses">{t('addresses')}</Link>
        </li>
        <li>
          <Link href="/account/coupons">{t('coupons')}</Link>
        </li>
        <li>
          <Link href="/account/group-buys">{t('groupBuys')}</Link>
        </li>
        <li>
          <Link href="/account/points">{t('points')}</Link>
        </li>
        <li>
          <Link href="/account/password">{t('changePassword')}</Link>
        </li>
      </ul>
      <form action={logOutAction}>
        <button type="submit">{t('logOut')}</button>
      </form>
    </section>
  );
}
