import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Countdown } from '@/components/countdown';
import { RefreshWhile } from '@/components/refresh-while';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { sessionToken } from '@/lib/data/account';
import { groupBuy } from '@/lib/data/group-buys';
import { formatMoney, pick } from '@/lib/format';
import { isUuid } from '@/lib/ids';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ locale: Locale; groupId: string }> };


export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { locale, groupId } = await params;
  const g = isUuid(groupId) ? await groupBuy(groupId) : null;
  const t = await getTranslations('groupBuy');
  return { title: g ? `${t('title')}: ${pick(g.title, locale)}` : t('notFound') };
}

/** One group, the page a member shares: who is in (without names), seats left, the time left, and a way in for others. */
export default async function GroupBuyPage({ params }: Params) {
  const { locale, groupId } = await params;
  if (!isUuid(groupId)) notFound();
  const token = await sessionToken();
  const [g, t, h] = await Promise.all([groupBuy(groupId, token), getTranslations('groupBuy'), headers()]);
  if (!g) notFound();
  const open = g.status === 'open' && Date.parse(g.expiresAt) > Date.now();
  const link = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? '127.0.0.1:3000'}/${locale}/group-buys/${g.id}`;
  return (
    <article>
      <h1>
        {t('title')}: {pick(g.title, locale)}
      </h1>
      <p>
        {t('terms', { size: g.size, price: formatMoney(g.price, locale), list: formatMoney(g.listPrice, locale) })} · <Link href={`/products/${g.productId}`}>{pick(g.title, locale)}</Link>
      </p>
      <p role="status">
        <strong className={`status ${g.status}`}>{t(`status.${g.status}`)}</strong>
        {g.status === 'open' ? (
          <>
            {' '}
            · {t('seatsLeft', { count: g.seatsLeft })} · <Countdown endsAt={g.expiresAt} now={Date.now()} />
          </>
        ) : null}
      </p>
      {g.status === 'formed' ? <p className="notice">{t('formedNote')}</p> : null}
      {g.status === 'failed' ? <p className="notice">{t('failedNote')}</p> : null}
      <section aria-labelledby="members">
        <h2 id="members">{t('members', { paid: g.paid, size: g.size })}</h2>
        <ol>
          {g.members.map((m, i) => (
            <li key={i}>
              {m.leader ? t('leader') : t('member')}
              {m.you ? ` (${t('you')})` : ''}
              {m.paid ? '' : ` · ${t('paying')}`}
            </li>
          ))}
        </ol>
      </section>
      {open && g.mine ? (
        <p>
          {t('yours')} {t('share')} <code>{link}</code>
        </p>
      ) : null}
      {open && !g.mine && g.seatsLeft > 0 ? (
        <p>
          <Link className="button" href={{ pathname: '/checkout', query: { groupBuy: g.campaignId, group: g.id } }}>
            {t('joinGroup')} · {formatMoney(g.price, locale)}
          </Link>
        </p>
      ) : null}
      {!open ? (
        <p>
          <Link href={`/products/${g.productId}`}>{t('start')}</Link>
        </p>
      ) : null}
      {/* members paying now: the page follows them */}
      <RefreshWhile active={g.status === 'open' && g.held > 0} ms={3000} />
    </article>
  );
}
