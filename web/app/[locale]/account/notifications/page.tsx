import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { Inbox, cursorOf, viewOf } from '@/components/inbox';
import { Link, redirect } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { sessionToken } from '@/lib/data/account';
import { inboxPage } from '@/lib/data/notifications';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('inbox'))('title') };
}

/** My messages (站内信): what happened to my orders, money and account, and the platform's announcements. */
export default async function MyInbox({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ view?: string; cursor?: string }> }) {
  const [{ locale }, q] = await Promise.all([params, searchParams]);
  const token = await sessionToken();
  if (!token) return redirect({ href: { pathname: '/login', query: { next: '/account/notifications' } }, locale: await getLocale() });
  const view = viewOf(q.view);
  const [t, page] = await Promise.all([getTranslations('inbox'), inboxPage(token, { kind: 'me' }, { locale, unread: view === 'unread', archived: view === 'archived', cursor: cursorOf(q.cursor) })]);
  return (
    <section>
      <h1>{t('title')}</h1>
      <p>
        <Link href="/account/notifications/preferences">{t('preferences')}</Link>
      </p>
      <Inbox owner={{ kind: 'me' }} page={page} view={view} path="/account/notifications" locale={locale} />
    </section>
  );
}
