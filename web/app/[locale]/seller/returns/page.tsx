import { randomUUID } from 'node:crypto';
import type { ReactNode } from 'react';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ReturnStatus } from '@emporium/contracts';
import { ReturnView } from '@/components/return-view';
import { SellerNav } from '@/components/seller-nav';
import type { Locale } from '@/i18n/routing';
import { afterSalesPolicy, ownSkuNames, shopOrders, shopReturns } from '@/lib/data/seller';
import { returnDecisionAction, returnPolicyAction, returnReceiptAction } from '../actions';
import { openShop } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('returns'))('seller.title') };
}

const ADDRESS = ['recipient', 'phone', 'province', 'city', 'district', 'street', 'postalCode'] as const;

/**
 * The shop's after-sales: returns asked (approve with the address the goods
 * go to, or refuse), on their way back and arrived (confirm what came back,
 * choosing what goes back in stock, or dispute it), and the shop's return
 * window.
 */
export default async function SellerReturns({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ status?: string; target?: string; problem?: string }> }) {
  const [{ locale }, query] = await Promise.all([params, searchParams]);
  const status = ReturnStatus.safeParse(query.status).data;
  const { token, shop, shops } = await openShop('/seller/returns');
  const [t, returns, policy, orders] = await Promise.all([getTranslations('returns'), shopReturns(token, shop.id, status), afterSalesPolicy(shop.id), shopOrders(token, shop.id)]);
  // what goes back: the product and its specs, read from the shop's products (the return keeps SKU ids);
  // a line whose product cannot be read is named by its place in the sub-order
  const returned = new Set(returns.map((r) => r.subOrderId));
  const names = await ownSkuNames(token, shop.id, orders.filter((o) => returned.has(o.id)).flatMap((o) => o.lines.map((l) => l.productId)), locale);
  const lineName = (subOrderId: string) => (skuId: string) => {
    const named = names.get(skuId);
    if (named) return named;
    const sub = orders.find((o) => o.id === subOrderId);
    const i = sub ? sub.lines.findIndex((l) => l.skuId === skuId) : -1;
    return i >= 0 ? t('seller.lineN', { n: i + 1 }) : skuId.slice(0, 8);
  };
  const problem = (id: string) =>
    query.target === id && query.problem ? (
      <p role="alert" className="error">
        {query.problem === 'reason' ? t('seller.reasonNeeded') : query.problem.startsWith('field:') ? t('seller.fieldWrong', { field: query.problem.slice(6) }) : t(`seller.problem.${query.problem === 'conflict' ? 'conflict' : 'refused'}`)}
      </p>
    ) : null;
  return (
    <section>
      <h1>{t('seller.title')}</h1>
      <SellerNav shop={shop} shops={shops} current="/returns" />
      <form action={returnPolicyAction} className="form inline" aria-label={t('seller.policy')}>
        <label htmlFor="return-window">{t('seller.windowDays')}</label>
        <input id="return-window" name="returnWindowDays" type="number" min={0} max={90} required defaultValue={policy.returnWindowDays} />
        <button type="submit">{t('seller.savePolicy')}</button>
        {problem('policy')}
      </form>
      <form method="get" className="filters" aria-label={t('seller.filter')}>
        <span className="field">
          <label htmlFor="status">{t('seller.status')}</label>
          <select id="status" name="status" defaultValue={status ?? ''}>
            <option value="">{t('seller.all')}</option>
            {ReturnStatus.options.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </span>
        <button type="submit">{t('seller.show')}</button>
      </form>
      {returns.length === 0 ? <p>{t('seller.none')}</p> : null}
      {returns.map((r) => (
        <article key={r.id} className="card" aria-label={t('seller.of', { order: r.orderId.slice(0, 8).toUpperCase() })}>
          <h2>{t('seller.of', { order: r.orderId.slice(0, 8).toUpperCase() })}</h2>
          <ReturnView r={r} locale={locale} nameOf={lineName(r.subOrderId)}>
            {problem(r.id)}
            {r.status === 'requested' ? (
              <Answers
                action={returnDecisionAction}
                returnId={r.id}
                go={{
                  decision: 'approve',
                  label: t('seller.approve'),
                  fields: (
                    <fieldset>
                      <legend>{t('seller.address')}</legend>
                      {ADDRESS.map((f) => (
                        <span key={f} className="field">
                          <label htmlFor={`${r.id}-${f}`}>{t(`seller.addressField.${f}`)}</label>
                          <input id={`${r.id}-${f}`} name={f} required={f !== 'postalCode'} />
                        </span>
                      ))}
                    </fieldset>
                  ),
                }}
                stop={{ decision: 'reject', label: t('seller.reject'), reasonLabel: t('seller.rejectReason') }}
              />
            ) : null}
            {r.status === 'shipped_back' || r.status === 'delivered_to_shop' ? (
              <Answers
                action={returnReceiptAction}
                returnId={r.id}
                go={{
                  decision: 'received',
                  label: t('seller.receive'),
                  fields: (
                    <fieldset>
                      <legend>{t('seller.restock')}</legend>
                      {r.lines.map((l) => (
                        <span key={l.skuId} className="field">
                          <label htmlFor={`${r.id}-restock-${l.skuId}`}>{t('seller.restockOf', { name: lineName(r.subOrderId)(l.skuId), quantity: l.quantity })}</label>
                          <input id={`${r.id}-restock-${l.skuId}`} name={`restock:${l.skuId}`} type="number" min={0} max={l.quantity} defaultValue={l.quantity} />
                        </span>
                      ))}
                    </fieldset>
                  ),
                }}
                stop={{ decision: 'dispute', label: t('seller.dispute'), reasonLabel: t('seller.disputeReason') }}
              />
            ) : null}
          </ReturnView>
        </article>
      ))}
    </section>
  );
}

/** A step's two answers, each its own form keyed once: the one that goes on (with its fields), and the refusal with a reason. */
function Answers({ action, returnId, go, stop }: { action: (form: FormData) => Promise<void>; returnId: string; go: { decision: string; label: string; fields: ReactNode }; stop: { decision: string; label: string; reasonLabel: string } }) {
  const hidden = (decision: string) => (
    <>
      <input type="hidden" name="returnId" value={returnId} />
      <input type="hidden" name="key" value={randomUUID()} />
      <input type="hidden" name="decision" value={decision} />
    </>
  );
  return (
    <>
      <form action={action} className="form" aria-label={go.label}>
        {hidden(go.decision)}
        {go.fields}
        <button type="submit">{go.label}</button>
      </form>
      <form action={action} className="form inline" aria-label={stop.label}>
        {hidden(stop.decision)}
        <label htmlFor={`${returnId}-${stop.decision}`}>{stop.reasonLabel}</label>
        <input id={`${returnId}-${stop.decision}`} name="reason" className="wide" />
        <button type="submit" className="secondary">
          {stop.label}
        </button>
      </form>
    </>
  );
}
