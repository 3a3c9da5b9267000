import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { Link, redirect } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { sessionToken } from '@/lib/data/account';
import { memberLevels, myPoints, myPointsEntries } from '@/lib/data/membership';
import { formatMoney, pick } from '@/lib/format';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('points'))('title') };
}

/** My points: the balance, what expires next, growth value, how points are earned, and the ledger a page at a time. */
export default async function MyPoints({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ before?: string }> }) {
  const [{ locale }, { before: asked }] = await Promise.all([params, searchParams]);
  const token = await sessionToken();
  if (!token) return redirect({ href: { pathname: '/login', query: { next: '/account/points' } }, locale: await getLocale() });
  const before = asked && /^\d{1,19}$/.test(asked) ? asked : undefined;
  const [t, account, page, ladder] = await Promise.all([getTranslations('points'), myPoints(token), myPointsEntries(token, before), memberLevels()]);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: config().PLATFORM_TIME_ZONE });
  const number = new Intl.NumberFormat(locale);
  return (
    <section>
      <h1>{t('title')}</h1>
      <dl aria-label={t('summary')}>
        <dt>{t('level')}</dt>
        <dd>
          <strong>{pick(account.level.name, locale)}</strong>
          {account.level.next ? ` · ${t('toNext', { growth: number.format(account.level.next.growthNeeded), level: pick(account.level.next.name, locale) })}` : ''}
        </dd>
        <dt>{t('balance')}</dt>
        <dd>
          <strong>{number.format(account.points)}</strong>
        </dd>
        <dt>{t('nextExpiry')}</dt>
        <dd>{account.nextExpiry ? t('expiring', { points: number.format(account.nextExpiry.points), date: date.format(new Date(account.nextExpiry.at)) }) : t('nothingExpiring')}</dd>
        <dt>{t('growth')}</dt>
        <dd>{number.format(account.growth)}</dd>
      </dl>
      <p className="hint">{t('rules', { points: account.rules.pointsPerYuan, days: account.rules.validDays })}</p>
      <p className="hint">
        {t('spendRules', { points: account.rules.spend.pointsPerYuan, yuan: formatMoney({ amount: 100, currency: 'CNY' }, locale), share: account.rules.spend.maxShareBps / 100 })}
      </p>
      <table>
        <caption>{t('ladder')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('level')}</th>
            <th scope="col">{t('growthNeeded')}</th>
            <th scope="col">{t('benefits')}</th>
          </tr>
        </thead>
        <tbody>
          {ladder.map((l) => {
            const mine = l.level === account.level.level;
            const benefits = [
              l.discountBps ? t('benefit.discount', { percent: l.discountBps / 100 }) : null,
              l.freeShippingAbove ? (l.freeShippingAbove.amount === 0 ? t('benefit.freeShipping') : t('benefit.freeShippingFrom', { amount: formatMoney(l.freeShippingAbove, locale) })) : null,
              l.birthdayCouponTemplateId ? t('benefit.birthday') : null,
            ].filter((b): b is string => b !== null);
            return (
              <tr key={l.level} aria-current={mine ? 'true' : undefined} className={mine ? 'current' : undefined}>
                <th scope="row">
                  {pick(l.name, locale)}
                  {mine ? ` (${t('yourLevel')})` : ''}
                </th>
                <td>{number.format(l.minGrowth)}</td>
                <td>{benefits.length ? benefits.join(' · ') : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>{t('ledger')}</h2>
      {page.items.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('ledger')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('when')}</th>
              <th scope="col">{t('what')}</th>
              <th scope="col">{t('change')}</th>
              <th scope="col">{t('after')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.at}>{date.format(new Date(e.at))}</time>
                </td>
                <td>
                  {t(`kinds.${e.kind}`)}
                  {e.note ? ` · ${e.note}` : ''}
                  {e.orderId ? (
                    <>
                      {' '}
                      · <Link href={`/orders/${e.orderId}`}>{t('order')}</Link>
                    </>
                  ) : null}
                  {e.points > 0 && e.expiresAt ? <span className="muted"> · {t('until', { date: date.format(new Date(e.expiresAt)) })}</span> : null}
                </td>
                <td>{e.points > 0 ? `+${number.format(e.points)}` : `−${number.format(-e.points)}`}</td>
                <td>{number.format(e.balanceAfter)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.nextBefore ? (
        <p>
          <Link href={{ pathname: '/account/points', query: { before: page.nextBefore } }}>{t('older')}</Link>
        </p>
      ) : null}
    </section>
  );
}
