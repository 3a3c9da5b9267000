import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AdminNav, RowNotice } from '@/components/admin-parts';
import { Figures } from '@/components/figures';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { ledgerCheck, payoutBatches } from '@/lib/data/admin';
import { formatMoney } from '@/lib/format';
import { payOutAction } from '../actions';
import { adminToken } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('money.title') };
}

/** The platform's money: the ledger's invariants checked now, what shops are owed, and payouts (one batch pays every shop). */
export default async function AdminMoney({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ target?: string; problem?: string; done?: string }> }) {
  const [{ locale }, query] = await Promise.all([params, searchParams]);
  const token = await adminToken('/admin/money');
  const [t, check, batches] = await Promise.all([getTranslations('admin'), ledgerCheck(token), payoutBatches(token)]);
  // payouts run in CNY (the batch's default currency)
  const owed = check.balances.filter((b) => b.account.startsWith('receivable:') && b.balance.currency === 'CNY' && b.balance.amount > 0);
  const sum = (list: typeof owed) => list.reduce((n, b) => n + b.balance.amount, 0);
  const problems = [...check.unbalancedPostings, ...check.capturesNotSplit, ...check.negativeEscrow, ...check.refundsOverCapture];
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: config().PLATFORM_TIME_ZONE });
  return (
    <section>
      <h1>{t('money.title')}</h1>
      <AdminNav current="/money" />
      <p role="status" className={check.ok ? 'status paid' : 'error'}>
        {check.ok ? t('money.ledgerOk', { postings: check.postings }) : t('money.ledgerBroken', { n: problems.length })}
      </p>
      {problems.length > 0 ? (
        <ul aria-label={t('money.problems')}>
          {problems.map((p) => (
            <li key={p} translate="no">
              {p}
            </li>
          ))}
        </ul>
      ) : null}
      <Figures
        label={t('money.now')}
        rows={[
          [t('money.owed'), formatMoney({ amount: sum(owed), currency: 'CNY' }, locale)],
          [t('money.shopsOwed'), owed.length],
        ]}
      />
      <RowNotice row="payout" query={query} known={['conflict']} />
      <form action={payOutAction}>
        <input type="hidden" name="key" value={randomUUID()} />
        <button type="submit" disabled={owed.length === 0}>
          {t('money.payOut')}
        </button>
      </form>
      <h2>{t('money.batches')}</h2>
      {batches.length === 0 ? <p>{t('money.noBatches')}</p> : null}
      {batches.length > 0 ? (
        <table>
          <caption className="sr-only">{t('money.batches')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('money.when')}</th>
              <th scope="col">{t('money.shops')}</th>
              <th scope="col">{t('money.total')}</th>
            </tr>
          </thead>
          <tbody>
            {batches.slice(0, 50).map((b) => (
              <tr key={b.id}>
                <th scope="row">{date.format(new Date(b.createdAt))}</th>
                <td>{b.payouts.length}</td>
                <td>{formatMoney(b.total, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
