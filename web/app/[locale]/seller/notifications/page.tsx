import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Inbox, cursorOf, viewOf } from '@/components/inbox';
import { SellerNav } from '@/components/seller-nav';
import type { Locale } from '@/i18n/routing';
import { inboxPage } from '@/lib/data/notifications';
import { openShop } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('inbox'))('shopTitle') };
}

/** The shop's messages, read by its staff together: orders to ship, refunds, stock running low, staff. */
export default async function ShopInbox({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ view?: string; cursor?: string }> }) {
  const [{ locale }, q] = await Promise.all([params, searchParams]);
  const { token, shop, shops } = await openShop('/seller/notifications');
  const view = viewOf(q.view);
  const owner = { kind: 'shop' as const, shopId: shop.id };
  const [t, page] = await Promise.all([getTranslations('inbox'), inboxPage(token, owner, { locale, unread: view === 'unread', archived: view === 'archived', cursor: cursorOf(q.cursor) })]);
  return (
    <section>
      <h1>{t('shopTitle')}</h1>
      <SellerNav shop={shop} shops={shops} current="/notifications" />
      <Inbox owner={owner} page={page} view={view} path="/seller/notifications" locale={locale} />
    </section>
  );
}
