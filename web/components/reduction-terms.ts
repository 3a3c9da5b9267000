import type { Reduction } from '@emporium/contracts';
import type { Locale } from '@/i18n/routing';
import { formatMoney } from '@/lib/format';

type Translate = (key: string, values?: Record<string, string | number>) => string;

/** An activity's tiers in words of the `promotions` messages: "CN¥30.00 off from CN¥300.00; CN¥80.00 off from CN¥500.00", "满 ¥200.00 每满减 ¥20.00". */
export function reductionTerms(t: Translate, r: Pick<Reduction, 'tiers' | 'repeat'>, locale: Locale): string {
  return r.tiers
    .map((tier) =>
      tier.kind === 'amount-off'
        ? t(r.repeat ? 'everyOff' : 'amountOff', { off: formatMoney(tier.off, locale), threshold: formatMoney(tier.threshold, locale) })
        : t('percentOff', { percent: tier.percentOff, threshold: formatMoney(tier.threshold, locale) }),
    )
    .join(t('separator'));
}
