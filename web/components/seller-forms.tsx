'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { applyAction, createCouponAction, createGroupBuyAction, createReductionAction, inviteAction, shipAction, stockAction, tiersAction, uploadImageAction } from '@/app/[locale]/seller/actions';
import type { FormState } from '@/lib/form-state';
import { fromMinor } from '@/lib/product-draft';
import { errorOf, Field, FormAlert, ProblemNote } from './form-fields';

const idle: FormState = { errors: [], problem: null };

const APPLY = [
  ['name.zh-CN', 'text'],
  ['name.en', 'text'],
  ['description.zh-CN', 'textarea'],
  ['description.en', 'textarea'],
  ['contactEmail', 'email'],
  ['contactPhone', 'tel'],
  ['accountName', 'text'],
  ['bankName', 'text'],
  ['accountNumber', 'text'],
] as const;

export function ApplyForm({ formKey }: { formKey: string }) {
  const t = useTranslations('seller');
  const [state, action, pending] = useActionState(applyAction, idle);
  const label = (f: string) => t(`apply.${f.replace('.', '_')}`);
  return (
    <form action={action} className="form narrow-wide" aria-labelledby="apply-title">
      <h2 id="apply-title">{t('apply.title')}</h2>
      <FormAlert state={state} label={label} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      {APPLY.map(([f, type]) => {
        const id = `apply-${f.replace('.', '-')}`;
        const error = errorOf(state, f);
        return type === 'textarea' ? (
          <Field key={f} id={id} label={label(f)} error={error}>
            <textarea id={id} name={f} required rows={3} defaultValue={state.values?.[f] ?? ''} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
          </Field>
        ) : (
          <Field key={f} id={id} name={f} type={type} label={label(f)} error={error} required defaultValue={state.values?.[f] ?? ''} inputMode={f === 'accountNumber' ? 'numeric' : undefined} />
        );
      })}
      <button type="submit" disabled={pending}>
        {t('apply.submit')}
      </button>
    </form>
  );
}

/** Receive units, or correct the count (+/-) with a reason, for one SKU. */
export function StockForm({ skuId, formKey, back, label }: { skuId: string; formKey: string; back: string; label: string }) {
  const t = useTranslations('seller');
  const [state, action, pending] = useActionState(stockAction, idle);
  const id = `stock-${skuId}`;
  return (
    <form action={action} className="form inline" aria-label={t('stock.formFor', { sku: label })}>
      <input type="hidden" name="skuId" value={skuId} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <input type="hidden" name="back" value={back} />
      <Field id={`${id}-quantity`} name="quantity" type="number" step={1} required label={t('stock.quantity')} error={errorOf(state, 'quantity') ?? errorOf(state, 'delta')} defaultValue={state.values?.quantity ?? ''} />
      <Field id={`${id}-mode`} label={t('stock.mode')}>
        <select id={`${id}-mode`} name="mode" defaultValue={state.values?.mode ?? 'receive'}>
          <option value="receive">{t('stock.receive')}</option>
          <option value="adjust">{t('stock.adjust')}</option>
        </select>
      </Field>
      <Field id={`${id}-reason`} name="reason" className="wide" label={t('stock.reason')} error={errorOf(state, 'reason')} defaultValue={state.values?.reason ?? ''} />
      <button type="submit" disabled={pending}>
        {t('stock.save')}
      </button>
      <ProblemNote state={state} />
    </form>
  );
}

/** A carrier of the list, as the ship form offers it. */
export interface CarrierChoice {
  code: string;
  name: string;
  example: string;
}

/** Ships a paid sub-order: a carrier and its tracking number per parcel (one, or up to three). */
export function ShipForm({ subOrderId, formKey, carriers }: { subOrderId: string; formKey: string; carriers: readonly CarrierChoice[] }) {
  const t = useTranslations('seller');
  const [state, action, pending] = useActionState(shipAction, idle);
  const id = `ship-${subOrderId}`;
  const row = (i: number) => {
    const carrier = `parcels.${i}.carrier`;
    const number = `parcels.${i}.trackingNumber`;
    const chosen = carriers.find((c) => c.code === (state.values?.[carrier] ?? carriers[0]?.code));
    return (
      <span key={i} className="field-group">
        <Field id={`${id}-carrier-${i}`} label={i === 0 ? t('orders.carrier') : `${t('orders.parcelN', { n: i + 1 })} · ${t('orders.carrier')}`} error={errorOf(state, carrier)}>
          <select id={`${id}-carrier-${i}`} name={carrier} defaultValue={state.values?.[carrier] ?? carriers[0]?.code}>
            {carriers.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id={`${id}-tracking-${i}`}
          name={number}
          required={i === 0}
          className="wide"
          label={i === 0 ? t('orders.trackingNumber') : `${t('orders.parcelN', { n: i + 1 })} · ${t('orders.trackingNumber')}`}
          placeholder={chosen ? t('orders.numberHint', { example: chosen.example }) : undefined}
          error={errorOf(state, number) ?? (i === 0 ? errorOf(state, 'parcels') : undefined)}
          defaultValue={state.values?.[number] ?? ''}
        />
      </span>
    );
  };
  return (
    <form action={action} className="form inline" aria-label={t('orders.shipForm')}>
      <input type="hidden" name="subOrderId" value={subOrderId} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      {row(0)}
      <details open={Boolean(state.values?.['parcels.1.trackingNumber'] || state.values?.['parcels.2.trackingNumber'])}>
        <summary>{t('orders.moreParcels')}</summary>
        {row(1)}
        {row(2)}
      </details>
      <button type="submit" disabled={pending}>
        {t('orders.ship')}
      </button>
      <ProblemNote state={state} />
    </form>
  );
}

export function ImageForm({ productId, formKey }: { productId: string; formKey: string }) {
  const t = useTranslations('seller');
  const [state, action, pending] = useActionState(uploadImageAction, idle);
  return (
    <form action={action} className="form inline" aria-label={t('product.addImage')}>
      <input type="hidden" name="productId" value={productId} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <Field id="product-image" name="image" type="file" accept="image/png,image/jpeg,image/webp" required label={t('product.image')} error={errorOf(state, 'image')} />
      <ProblemNote state={state} />
      <button type="submit" disabled={pending}>
        {t('product.upload')}
      </button>
    </form>
  );
}

/**
 * A SKU's quantity prices: from so many units, each at this price. The rows
 * there are plus two blank ones (at most ten); blank rows are dropped, so
 * clearing every row removes the tiers.
 */
export function TierForm({ productId, skuId, currency, tiers, label }: { productId: string; skuId: string; currency: string; tiers: { minQuantity: number; price: { amount: number } }[]; label: string }) {
  const t = useTranslations('seller.tiers');
  const [state, action, pending] = useActionState(tiersAction, idle);
  const rows = [...tiers.map((x) => ({ q: String(x.minQuantity), p: fromMinor(x.price.amount) })), { q: '', p: '' }, { q: '', p: '' }].slice(0, 10);
  return (
    <form action={action} className="form" aria-label={t('formFor', { sku: label })}>
      <FormAlert state={state} label={(f) => t('rowField', { row: Number(f.split('.')[1] ?? 0) + 1, field: t(f.endsWith('minQuantity') ? 'minQuantity' : 'price', { currency }) })} />
      <input type="hidden" name="productId" value={productId} />
      <input type="hidden" name="skuId" value={skuId} />
      <input type="hidden" name="currency" value={currency} />
      {rows.map((r, i) => (
        <div key={i} className="form inline">
          <Field id={`tier-${skuId}-${i}-q`} name="minQuantity" inputMode="numeric" label={t('rowField', { row: i + 1, field: t('minQuantity') })} defaultValue={state.values?.[`q.${i}`] ?? r.q} error={errorOf(state, `tiers.${i}.minQuantity`)} />
          <Field id={`tier-${skuId}-${i}-p`} name={`price.${i}`} inputMode="decimal" label={t('rowField', { row: i + 1, field: t('price', { currency }) })} defaultValue={state.values?.[`p.${i}`] ?? r.p} error={errorOf(state, `tiers.${i}.price`)} />
        </div>
      ))}
      <button type="submit" disabled={pending}>
        {t('save')}
      </button>
    </form>
  );
}

export function InviteForm({ formKey }: { formKey: string }) {
  const t = useTranslations('seller.staff');
  const [state, action, pending] = useActionState(inviteAction, idle);
  return (
    <form action={action} className="form inline" aria-label={t('invite')}>
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <Field id="invite-email" name="email" type="email" required autoComplete="off" label={t('email')} error={errorOf(state, 'email')} defaultValue={state.values?.email ?? ''} className="wide" />
      <button type="submit" disabled={pending}>
        {t('invite')}
      </button>
      <ProblemNote state={state} />
    </form>
  );
}

/** A product a coupon or an activity may be limited to. */
export interface ScopeProduct {
  id: string;
  name: { 'zh-CN': string; en: string };
}

/** What a coupon or an activity applies to: every product of the shop, or the products ticked. */
function ScopeFields({ products, prefix, state }: { products: ScopeProduct[]; prefix: string; state: FormState }) {
  const t = useTranslations('seller.scope');
  const locale = useLocale();
  const error = errorOf(state, 'productId');
  return (
    <fieldset aria-invalid={error ? true : undefined} aria-describedby={error ? `${prefix}-scope-error` : undefined}>
      <legend>{t('title')}</legend>
      <label className="choice block">
        <input type="radio" name="scope" value="all" defaultChecked />
        {t('all')}
      </label>
      <label className="choice block">
        <input type="radio" name="scope" value="products" disabled={products.length === 0} />
        {t('products')}
      </label>
      {products.length ? (
        <ul className="choices">
          {products.map((p) => (
            <li key={p.id}>
              <label className="choice block">
                <input type="checkbox" name="productId" value={p.id} />
                {p.name[locale === 'zh-CN' ? 'zh-CN' : 'en']}
              </label>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{t('noProducts')}</p>
      )}
      {error ? (
        <span id={`${prefix}-scope-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}

const COUPON_TEXT = ['name.zh-CN', 'name.en'] as const;
const COUPON_NUMBERS = [
  ['amount', 'decimal'],
  ['percentOff', 'numeric'],
  ['maxOff', 'decimal'],
  ['minSpend', 'decimal'],
  ['total', 'numeric'],
  ['perUserLimit', 'numeric'],
  ['claimDays', 'numeric'],
  ['validDays', 'numeric'],
] as const;
const COUPON_DEFAULTS: Record<string, string> = { total: '100', perUserLimit: '1', claimDays: '30', validDays: '7' };

/**
 * Issues coupons: 满 X 减 Y or a percentage with a cap, claimable for some days, usable for some days
 * after the claim, returned or not on a full refund. Funded by the shop (the seller portal's action)
 * or the platform (the admin console's).
 */
export function CouponForm({
  formKey,
  issue = createCouponAction,
  fundedBy = 'shop',
  products,
}: {
  formKey: string;
  issue?: (prev: FormState, form: FormData) => Promise<FormState>;
  fundedBy?: 'shop' | 'platform';
  /** the shop's products the coupon may be limited to (none: every product) */
  products?: ScopeProduct[];
}) {
  const t = useTranslations('seller.coupons');
  const [state, action, pending] = useActionState(issue, idle);
  const label = (f: string) => t(`fields.${f.replace('.', '_')}`);
  const value = (f: string) => state.values?.[f] ?? COUPON_DEFAULTS[f] ?? '';
  return (
    <form action={action} className="form narrow-wide" aria-labelledby="coupon-title">
      <h2 id="coupon-title">{t('issue')}</h2>
      <FormAlert state={state} label={label} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      {COUPON_TEXT.map((f) => {
        const id = `coupon-${f.replace('.', '-')}`;
        return <Field key={f} id={id} name={f} required maxLength={60} label={label(f)} error={errorOf(state, f)} defaultValue={value(f)} />;
      })}
      <Field id="coupon-kind" label={label('kind')} error={errorOf(state, 'kind')}>
        <select id="coupon-kind" name="kind" defaultValue={value('kind') || 'fixed'}>
          <option value="fixed">{t('kinds.fixed')}</option>
          <option value="percent">{t('kinds.percent')}</option>
        </select>
      </Field>
      {COUPON_NUMBERS.map(([f, mode]) => (
        <Field key={f} id={`coupon-${f}`} name={f} inputMode={mode} autoComplete="off" label={label(f)} error={errorOf(state, f)} defaultValue={value(f)} />
      ))}
      <Field id="coupon-distribution" label={label('distribution')} error={errorOf(state, 'distribution')}>
        <select id="coupon-distribution" name="distribution" defaultValue={value('distribution') || 'claim'}>
          {(fundedBy === 'platform' ? (['claim', 'new-user', 'issued', 'level'] as const) : (['claim', 'issued'] as const)).map((d) => (
            <option key={d} value={d}>
              {t(`distributions.${d}`)}
            </option>
          ))}
        </select>
      </Field>
      {products ? <ScopeFields products={products} prefix="coupon" state={state} /> : null}
      {fundedBy === 'platform' ? <Field id="coupon-minLevel" name="minLevel" inputMode="numeric" autoComplete="off" label={label('minLevel')} error={errorOf(state, 'minLevel')} defaultValue={value('minLevel')} /> : null}
      <label className="choice block">
        <input type="checkbox" name="returnOnRefund" defaultChecked={value('returnOnRefund') === 'on'} />
        {label('returnOnRefund')}
      </label>
      <p className="hint">{t(fundedBy === 'shop' ? 'hint' : 'platformHint')}</p>
      <button type="submit" disabled={pending}>
        {t('issue')}
      </button>
    </form>
  );
}

const REDUCTION_DEFAULTS: Record<string, string> = { days: '7' };

/** Starts a full-reduction activity: up to three tiers of 满 X 减 Y or 满 X 打折, or one repeating tier, running for some days. */
export function ReductionForm({ formKey, products = [] }: { formKey: string; products?: ScopeProduct[] }) {
  const t = useTranslations('seller.promotions');
  const [state, action, pending] = useActionState(createReductionAction, idle);
  const label = (f: string) => t(`fields.${f.replace('.', '_')}`);
  const value = (f: string) => state.values?.[f] ?? REDUCTION_DEFAULTS[f] ?? '';
  return (
    <form action={action} className="form narrow-wide" aria-labelledby="reduction-title">
      <h2 id="reduction-title">{t('start')}</h2>
      <FormAlert state={state} label={label} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      {(['name.zh-CN', 'name.en'] as const).map((f) => (
        <Field key={f} id={`reduction-${f.replace('.', '-')}`} name={f} required maxLength={60} label={label(f)} error={errorOf(state, f)} defaultValue={value(f)} />
      ))}
      <Field id="reduction-kind" label={label('kind')} error={errorOf(state, 'kind')}>
        <select id="reduction-kind" name="kind" defaultValue={value('kind') || 'amount-off'}>
          <option value="amount-off">{t('kinds.amount-off')}</option>
          <option value="percent-off">{t('kinds.percent-off')}</option>
        </select>
      </Field>
      {[1, 2, 3].map((i) => (
        <fieldset key={i}>
          <legend>{t('tier', { n: i })}</legend>
          <Field id={`reduction-threshold${i}`} name={`threshold${i}`} inputMode="decimal" autoComplete="off" required={i === 1} label={label('threshold')} error={errorOf(state, `threshold${i}`)} defaultValue={value(`threshold${i}`)} />
          <Field id={`reduction-off${i}`} name={`off${i}`} inputMode="decimal" autoComplete="off" required={i === 1} label={label('off')} error={errorOf(state, `off${i}`)} defaultValue={value(`off${i}`)} />
        </fieldset>
      ))}
      <label className="choice block">
        <input type="checkbox" name="repeat" defaultChecked={value('repeat') === 'on'} />
        {label('repeat')}
      </label>
      <Field id="reduction-days" name="days" inputMode="numeric" autoComplete="off" required label={label('days')} error={errorOf(state, 'days')} defaultValue={value('days')} />
      <ScopeFields products={products} prefix="reduction" state={state} />
      <p className="hint">{t('hint')}</p>
      <button type="submit" disabled={pending}>
        {t('start')}
      </button>
    </form>
  );
}

const GROUP_BUY_DEFAULTS: Record<string, string> = { groupSize: '3', hours: '24', perUserLimit: '2', days: '7' };

/** A group-buy campaign for one SKU of the chosen product: group size and price, hours to fill, the per-shopper limit, days it opens groups. */
export function GroupBuyForm({ formKey, productId, skus }: { formKey: string; productId: string; skus: { id: string; label: string }[] }) {
  const t = useTranslations('seller.groupBuys');
  const [state, action, pending] = useActionState(createGroupBuyAction, idle);
  const label = (f: string) => t(`fields.${f.replace('.', '_')}`);
  const value = (f: string) => state.values?.[f] ?? GROUP_BUY_DEFAULTS[f] ?? '';
  return (
    <form action={action} className="form narrow-wide" aria-labelledby="group-buy-title">
      <h2 id="group-buy-title">{t('start')}</h2>
      <FormAlert state={state} label={label} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <input type="hidden" name="productId" value={productId} />
      <Field id="group-buy-sku" label={label('skuId')} error={errorOf(state, 'skuId')}>
        {/* keyed by the choice: a form sent back with an error shows the SKU it was sent with */}
        <select key={value('skuId')} id="group-buy-sku" name="skuId" defaultValue={value('skuId') || skus[0]?.id}>
          {skus.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </Field>
      {(['title.zh-CN', 'title.en'] as const).map((f) => (
        <Field key={f} id={`group-buy-${f.replace('.', '-')}`} name={f} required maxLength={120} label={label(f)} error={errorOf(state, f)} defaultValue={value(f)} />
      ))}
      {(['groupSize', 'price', 'hours', 'perUserLimit', 'days'] as const).map((f) => (
        <Field key={f} id={`group-buy-${f}`} name={f} inputMode={f === 'price' || f === 'hours' ? 'decimal' : 'numeric'} autoComplete="off" required label={label(f)} error={errorOf(state, f)} defaultValue={value(f)} />
      ))}
      <p className="hint">{t('hint')}</p>
      <button type="submit" disabled={pending}>
        {t('start')}
      </button>
    </form>
  );
}
