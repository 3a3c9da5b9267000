import { getTranslations } from 'next-intl/server';
import type { GroupBuyOffer } from '@emporium/contracts';
import { Countdown } from '@/components/countdown';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { formatMoney, pick } from '@/lib/format';

/** A product's group buys: the group price, a way to start a group, and the groups that can be joined with their countdowns. */
export async function GroupBuyOffers({ offers, locale }: { offers: GroupBuyOffer[]; locale: Locale }) {
  const t = await getTranslations('groupBuy');
  const now = Date.now();
  return (
    <section aria-labelledby="group-buys">
      <h2 id="group-buys">{t('onProduct')}</h2>
      {offers.map(({ campaign: c, openGroups }) => (
        <div key={c.id} className="card">
          <p>
            <strong>{pick(c.title, locale)}</strong> · {t('terms', { size: c.groupSize, price: formatMoney(c.price, locale), list: formatMoney(c.listPrice, locale) })}
          </p>
          <p>
            <Link className="button" href={{ pathname: '/checkout', query: { groupBuy: c.id } }}>
              {t('startWith', { price: formatMoney(c.price, locale) })}
            </Link>
          </p>
          <h3>{t('openGroups')}</h3>
          {openGroups.length === 0 ? (
            <p className="muted">{t('noOpen')}</p>
          ) : (
            <ul>
              {openGroups.map((g, i) => (
                <li key={g.id}>
                  {t('needs', { count: g.seatsLeft })} · <Countdown endsAt={g.expiresAt} now={now} /> ·{' '}
                  {g.mine ? (
                    <Link href={`/group-buys/${g.id}`}>{t('yours')}</Link>
                  ) : (
                    <Link href={{ pathname: '/checkout', query: { groupBuy: c.id, group: g.id } }}>
                      {t('join')}
                      <span className="sr-only"> {t('joinContext', { n: i + 1 })}</span>
                    </Link>
                  )}{' '}
                  · <Link href={`/group-buys/${g.id}`}>{t('viewGroup')}</Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}
