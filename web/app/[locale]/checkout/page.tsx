import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { AddressForm } from '@/components/account-forms';
import { PlaceOrderForm } from '@/components/checkout-forms';
import { Countdown } from '@/components/countdown';
import { Link, redirect } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { me, sessionToken } from '@/lib/data/account';
import { currentCart } from '@/lib/data/cart';
import { flashSale } from '@/lib/data/flash';
import { groupBuyCampaign } from '@/lib/data/group-buys';
import { couponsForSelection } from '@/lib/data/coupons';
import { myAddresses, quote } from '@/lib/data/orders';
import { formatMoney, pick } from '@/lib/format';
import { isUuid } from '@/lib/ids';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('checkout'))('title') };
}

/** The cart's selected lines, where they go and how to pay; the order prices them again on the server. */
export default async function CheckoutPage({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ locale }, sp] = await Promise.all([params, searchParams]);
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const [flash, until] = [one(sp.flash), one(sp.until)];
  const [groupCampaignId, groupId] = [one(sp.groupBuy), one(sp.group)].map((v) => (v && isUuid(v) ? v : undefined));
  const token = await sessionToken();
  if (!token) return redirect({ href: { pathname: '/login', query: { next: '/checkout' } }, locale: await getLocale() });
  const t = await getTranslations('checkout');
  // a flash sale's held unit is checked out on its own, at the sale's price; else the cart's selected lines
  // a group buy's one unit, at the group price, likewise
  const special = flash || groupCampaignId;
  const [cart, addresses, user, sale, group] = await Promise.all([
    special ? null : currentCart(),
    myAddresses(token),
    me(),
    flash ? flashSale(flash) : null,
    !flash && groupCampaignId ? groupBuyCampaign(groupCampaignId) : null,
  ]);
  const lines = sale
    ? [{ skuId: sale.skuId, quantity: 1, selected: true, name: sale.title, price: sale.price, companyPrice: null }]
    : group
      ? [{ skuId: group.skuId, quantity: 1, selected: true, name: group.title, price: group.price, companyPrice: null }]
      : (cart?.shops.flatMap((s) => s.lines.filter((l) => l.selected)) ?? []);
  if (lines.length === 0) {
    return (
      <section>
        <h1>{t('title')}</h1>
        <p>
          {t('nothing')} <Link href="/">{t('browse')}</Link>
        </p>
      </section>
    );
  }
  // what the address form keeps when it comes back: the held unit and the hold's end
  const keep: Record<string, string> = sale ? { flash: sale.id, ...(until ? { until } : {}) } : group ? { groupBuy: group.id, ...(groupId ? { group: groupId } : {}) } : {};
  const company = user?.roles.some((r) => r.role === 'company_buyer' || r.role === 'company_admin') ?? false;
  const quoteLines = lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity, ...(sale ? { flashSaleId: sale.id } : {}), ...(group ? { groupBuyCampaignId: group.id } : {}) }));
  // the buyer's coupons against these lines: the best combination is picked until the buyer picks (one per shop, one of the platform); none with a group price
  const selection = group ? null : await couponsForSelection(token, quoteLines);
  const fitting = selection?.coupons.filter((c) => c.fits) ?? [];
  const unfit = selection?.coupons.filter((c) => !c.fits) ?? [];
  const slots = [...new Set(fitting.map((c) => c.coupon.shopId ?? 'platform'))].sort((a, b) => Number(a === 'platform') - Number(b === 'platform'));
  const picked = one(sp.chosen) === '1' ? slots.map((slot) => one(sp[`c_${slot}`]) ?? '').filter((id) => fitting.some((c) => c.coupon.id === id)) : (selection?.best.couponIds ?? []);
  // the prices the order will charge (tiers, company prices, the sale's price, the coupons) and each shop's shipping
  let couponIds = picked;
  let priced = await quote(token, quoteLines, couponIds);
  if (!priced && couponIds.length) {
    couponIds = [];
    priced = await quote(token, quoteLines);
  }
  const couponsDropped = picked.length > 0 && couponIds.length === 0;
  // points: the quote says how many this order can use; the buyer opts in (all of them, in whole yuan)
  const member = group ? null : (priced?.member ?? null);
  const pointsMax = member?.points.max ?? 0;
  const wantPoints = one(sp.usePoints) === '1' && pointsMax > 0;
  let points = 0;
  if (wantPoints) {
    const withPoints = await quote(token, quoteLines, couponIds, pointsMax);
    if (withPoints) {
      priced = withPoints;
      points = pointsMax;
    }
  }
  const pointsDropped = wantPoints && points === 0;
  const spent = priced?.member?.points;
  // the coupon choice, carried by the points form (and the points choice by the coupons form)
  const chosenSlots = one(sp.chosen) === '1' ? slots.map((slot) => [`c_${slot}`, one(sp[`c_${slot}`]) ?? ''] as const) : [];
  const offText = (c: (typeof fitting)[number]) => `${pick(c.coupon.name, locale)} −${formatMoney(c.discount!, locale)}`;
  // each line's trace: what every step took off it
  const stepsOf = (skuId: string) => priced?.shops.flatMap((sh) => sh.lines).find((x) => x.skuId === skuId)?.steps ?? [];
  const lineTotal = (l: (typeof lines)[number]) => {
    const q = priced?.shops.flatMap((s) => s.lines).find((x) => x.skuId === l.skuId);
    return q ? q.lineTotal : l.price ? { amount: (l.companyPrice ?? l.price).amount * l.quantity, currency: l.price.currency } : null;
  };
  return (
    <section className="narrow-wide">
      <h1>{t('title')}</h1>
      <ul>
        {lines.map((l) => {
          const total = lineTotal(l);
          return (
            <li key={l.skuId}>
              {l.name ? pick(l.name, locale) : '—'} × {l.quantity}
              {total ? ` — ${formatMoney(total, locale)}` : ''}
              {stepsOf(l.skuId).length ? (
                <ul className="muted" aria-label={t('lineSteps')}>
                  {stepsOf(l.skuId).map((x, k) => (
                    <li key={k}>
                      {t(`step.${x.step}`)} −{formatMoney(x.amount, locale)}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ul>
      {priced ? (
        <dl aria-label={t('totals')}>
          <dt>{t('goods')}</dt>
          <dd>{formatMoney(priced.subtotal, locale)}</dd>
          <dt>{t('shippingFee', { shops: priced.shops.length })}</dt>
          <dd>{formatMoney(priced.shipping, locale)}</dd>
          {priced.reductions.length > 0 ? (
            <>
              <dt>{t('reductionsOff')}</dt>
              <dd>−{formatMoney({ amount: priced.reductions.reduce((a, r) => a + r.discount.amount, 0), currency: priced.currency }, locale)}</dd>
            </>
          ) : null}
          {priced.coupons.length > 0 ? (
            <>
              <dt>{t('couponsOff')}</dt>
              <dd>−{formatMoney({ amount: priced.coupons.reduce((a, c) => a + c.discount.amount, 0), currency: priced.currency }, locale)}</dd>
            </>
          ) : null}
          {priced.member && priced.member.levelDiscount.amount > 0 ? (
            <>
              <dt>{t('memberOff', { level: pick(priced.member.name, locale), percent: priced.member.discountBps / 100 })}</dt>
              <dd>−{formatMoney(priced.member.levelDiscount, locale)}</dd>
            </>
          ) : null}
          {spent && spent.used > 0 ? (
            <>
              <dt>{t('pointsOff', { points: spent.used })}</dt>
              <dd>−{formatMoney(spent.value, locale)}</dd>
            </>
          ) : null}
          <dt>{t('toPay')}</dt>
          <dd>
            <strong>{formatMoney(priced.total, locale)}</strong>
          </dd>
        </dl>
      ) : (
        <p className="muted">{t('notPriced')}</p>
      )}
      {priced?.member && priced.member.shippingWaived.amount > 0 ? (
        <p className="notice">{t('memberShipping', { level: pick(priced.member.name, locale), amount: formatMoney(priced.member.shippingWaived, locale) })}</p>
      ) : null}
      {pointsDropped ? (
        <p role="status" className="notice">
          {t('pointsDropped')}
        </p>
      ) : null}
      {couponsDropped ? (
        <p role="status" className="notice">
          {t('couponsDropped')}
        </p>
      ) : null}
      {selection && selection.coupons.length > 0 ? (
        <form method="get" className="form" aria-labelledby="coupons-heading">
          <h2 id="coupons-heading">{t('coupons')}</h2>
          <input type="hidden" name="chosen" value="1" />
          {wantPoints ? <input type="hidden" name="usePoints" value="1" /> : null}
          {flash ? <input type="hidden" name="flash" value={flash} /> : null}
          {until ? <input type="hidden" name="until" value={until} /> : null}
          {slots.map((slot) => (
            <fieldset key={slot}>
              <legend>{slot === 'platform' ? t('couponPlatform') : t('couponShop')}</legend>
              <label className="choice block">
                <input type="radio" name={`c_${slot}`} value="" defaultChecked={!couponIds.some((id) => fitting.find((c) => c.coupon.id === id)?.coupon.shopId === (slot === 'platform' ? null : slot))} />
                {t('noCoupon')}
              </label>
              {fitting
                .filter((c) => (c.coupon.shopId ?? 'platform') === slot)
                .map((c) => (
                  <label key={c.coupon.id} className="choice block">
                    <input type="radio" name={`c_${slot}`} value={c.coupon.id} defaultChecked={couponIds.includes(c.coupon.id)} />
                    {offText(c)}
                  </label>
                ))}
            </fieldset>
          ))}
          {slots.length > 0 ? <button type="submit">{t('applyCoupons')}</button> : null}
          {unfit.length > 0 ? (
            <details>
              <summary>{t('couponsUnfit', { count: unfit.length })}</summary>
              <ul>
                {unfit.map((c) => (
                  <li key={c.coupon.id}>
                    {pick(c.coupon.name, locale)}: {c.reason === 'below-threshold' && c.shortBy ? t('couponShortBy', { amount: formatMoney(c.shortBy, locale) }) : t(`couponUnfit.${c.reason ?? 'not-usable'}`)}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </form>
      ) : null}
      {member && member.points.available > 0 ? (
        <form method="get" className="form" aria-labelledby="points-heading">
          <h2 id="points-heading">{t('pointsHeading')}</h2>
          {flash ? <input type="hidden" name="flash" value={flash} /> : null}
          {until ? <input type="hidden" name="until" value={until} /> : null}
          {chosenSlots.length ? <input type="hidden" name="chosen" value="1" /> : null}
          {chosenSlots.map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <p className="muted">
            {pointsMax > 0
              ? t('pointsHave', { available: member.points.available, perYuan: member.points.pointsPerYuan, yuan: formatMoney({ amount: 100, currency: priced!.currency }, locale) })
              : t('pointsNone', { available: member.points.available })}
          </p>
          {pointsMax > 0 ? (
            <>
              <label className="choice block">
                <input type="checkbox" name="usePoints" value="1" defaultChecked={points > 0} />
                {t('usePoints', { points: pointsMax, amount: formatMoney({ amount: (pointsMax / member.points.pointsPerYuan) * 100, currency: priced!.currency }, locale) })}
              </label>
              <button type="submit">{t('applyPoints')}</button>
            </>
          ) : null}
        </form>
      ) : null}
      {group ? (
        <p className="notice">
          {(await getTranslations('groupBuy'))('checkoutNote')}
        </p>
      ) : null}
      {sale && until && !Number.isNaN(Date.parse(until)) ? (
        <p className="notice">
          <Countdown endsAt={until} now={Date.now()} words="hold" />
        </p>
      ) : null}
      {addresses.length === 0 ? (
        <AddressForm formKey={randomUUID()} back="checkout" keep={keep} />
      ) : (
        <details>
          <summary>{t('otherAddress')}</summary>
          <AddressForm formKey={randomUUID()} back="checkout" keep={keep} />
        </details>
      )}
      <PlaceOrderForm addresses={addresses} methods={company ? ['card', 'wallet', 'invoice'] : ['card', 'wallet']} formKey={randomUUID()} flash={sale ? { campaignId: sale.id, skuId: sale.skuId } : null} groupBuy={group ? { campaignId: group.id, groupId: groupId ?? null } : null} couponIds={couponIds} points={points} />
    </section>
  );
}
