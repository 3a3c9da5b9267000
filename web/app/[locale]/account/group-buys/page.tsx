import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { Countdown } from '@/components/countdown';
import { Link, redirect } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { sessionToken } from '@/lib/data/account';
import { myGroupBuys } from '@/lib/data/group-buys';
import { formatMoney, pick } from '@/lib/format';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('groupBuy'))('mine') };
}

/** The groups the shopper opened or joined, newest first: how each stands, the shopper's seat, the order. */
export default async function MyGroupBuys({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const token = await sessionToken();
  if (!token) return redirect({ href: { pathname: '/login', query: { next: '/account/group-buys' } }, locale: await getLocale() });
  const [t, mine] = await Promise.all([getTranslations('groupBuy'), myGroupBuys(token)]);
  const now = Date.now();
  return (
    <section>
      <h1>{t('mine')}</h1>
      {mine.length === 0 ? (
        <p>{t('noneMine')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('mine')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colGroup')}</th>
              <th scope="col">{t('colMembers')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">{t('colOrder')}</th>
            </tr>
          </thead>
          <tbody>
            {mine.map((m) => (
              <tr key={m.orderId}>
                <th scope="row">
                  <Link href={`/group-buys/${m.group.id}`}>{pick(m.group.title, locale)}</Link> · {formatMoney(m.group.price, locale)} × {m.quantity}
                </th>
                <td>
                  {m.group.paid} / {m.group.size}
                </td>
                <td>
                  <span className={`status ${m.group.status}`}>{t(`status.${m.group.status}`)}</span> · {t(`seat.${m.seat}`)}
                  {m.group.status === 'open' ? (
                    <>
                      {' '}
                      · <Countdown endsAt={m.group.expiresAt} now={now} />
                    </>
                  ) : null}
                </td>
                <td>
                  <Link href={`/orders/${m.orderId}`}>{t('viewOrder')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
