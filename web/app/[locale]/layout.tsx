import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { hasLocale, NextIntlClientProvider } from 'next-intl';
import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { LanguageSwitcher } from '@/components/language-switcher';
import { SearchBox } from '@/components/search-box';
import { UnreadBadge } from '@/components/unread-badge';
import { Link } from '@/i18n/navigation';
import { routing } from '@/i18n/routing';
import { sessionToken } from '@/lib/data/account';
import { myUnread } from '@/lib/data/notifications';
import { rolesOf } from '@/lib/roles';
import './globals.css';

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale: requested } = await params;
  // any first segment reaches here (/favicon.ico too): an unknown one is the default language's title
  const locale = hasLocale(routing.locales, requested) ? requested : routing.defaultLocale;
  const t = await getTranslations({ locale, namespace: 'site' });
  return { title: { default: t('name'), template: `%s · ${t('name')}` }, description: t('tagline') };
}

export default async function LocaleLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  const t = await getTranslations('site');
  const token = await sessionToken();
  const signedIn = token !== undefined;
  const admin = rolesOf(token).some((r) => r.role === 'platform_admin');
  // the unread badge: a page still renders when notification cannot answer (no badge then)
  const unread = token ? await myUnread(token).catch(() => null) : null;
  return (
    <html lang={locale}>
      <body>
        <NextIntlClientProvider>
          <a className="skip" href="#main">
            {t('skip')}
          </a>
          <header className="site-header">
            <Link href="/" className="brand">
              {t('name')}
            </Link>
            <nav aria-label={t('name')}>
              <Link href="/">{t('nav.home')}</Link>
              <Link href="/browse">{t('nav.browse')}</Link>
              <Link href="/coupons">{t('nav.coupons')}</Link>
              <Link href="/cart">{t('nav.cart')}</Link>
              {signedIn ? <Link href="/orders">{t('nav.orders')}</Link> : null}
              {signedIn ? <Link href="/seller">{t('nav.seller')}</Link> : null}
              {signedIn ? (
                <Link href="/account/notifications" className="messages-link">
                  {t('nav.messages')}
                  {unread !== null ? <UnreadBadge initial={unread} /> : null}
                </Link>
              ) : null}
              {admin ? <Link href="/admin">{t('nav.admin')}</Link> : null}
              {signedIn ? <Link href="/account">{t('nav.account')}</Link> : <Link href="/login">{t('nav.signIn')}</Link>}
            </nav>
            <SearchBox label={t('search.label')} placeholder={t('search.placeholder')} submit={t('search.submit')} suggestionsLabel={t('search.suggestions')} />
            <LanguageSwitcher label={t('language')} switchTo={t('switchTo')} />
          </header>
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
