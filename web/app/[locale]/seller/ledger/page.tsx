import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Figures } from '@/components/figures';
import { SellerNav } from '@/components/seller-nav';
import type { Locale } from '@/i18n/routing';
import { shopLedger } from '@/lib/data/seller';
import { formatMoney } from '@/lib/format';
import { openShop } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('seller'))('ledger.title') };
}

/** The shop's money per currency: held in escrow until buyers confirm, released to it, paid out to its account. */
export default async function SellerLedger({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const { token, shop, shops } = await openShop('/seller/ledger');
  const [t, ledger] = await Promise.all([getTranslations('seller'), shopLedger(token, shop.id)]);
  return (
    <section>
      <h1>{t('ledger.title')}</h1>
      <SellerNav shop={shop} shops={shops} current="/ledger" />
      <p className="muted">{t('ledger.explain')}</p>
      {ledger.length === 0 ? <p>{t('ledger.none')}</p> : null}
      {ledger.map((l) => (
        <Figures
          key={l.currency}
          label={t('ledger.in', { currency: l.currency })}
          rows={[
            [t('ledger.inEscrow'), formatMoney(l.inEscrow, locale)],
            [t('ledger.released'), formatMoney(l.released, locale)],
            [t('ledger.paidOut'), formatMoney(l.paidOut, locale)],
            [t('ledger.owed'), formatMoney({ amount: l.released.amount - l.paidOut.amount, currency: l.currency }, locale)],
          ]}
        />
      ))}
      <p className="muted">{t('ledger.account', { bank: shop.settlementAccount.bankName, number: shop.settlementAccount.accountNumber.slice(-4) })}</p>
    </section>
  );
}
