'use client';

import type { Address } from '@emporium/contracts';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { placeOrderAction, type CheckoutState } from '@/app/[locale]/checkout/actions';

const idle: CheckoutState = { error: null, field: null };
export function PlaceOrderForm({
  addresses,
  methods,
  formKey,
  flash,
  groupBuy = null,
  couponIds,
  points = 0,
}: {
  addresses: Address[];
  methods: string[];
  formKey: string;
  flash: { campaignId: string; skuId: string } | null;
  /** a group buy: the campaign, and the group joined (none: a new group) */
  groupBuy?: { campaignId: string; groupId: string | null } | null;
  /** the coupons chosen above, used with the order */
  couponIds: string[];
  /** the points chosen above, spent with the order */
  points?: number;
}) {
  const t = useTranslations('checkout');
  const [state, action, pending] = useActionState(placeOrderAction, idle);
  return (
    <form action={action} className="form">
      {state.error ? <p role="alert" className="error">{state.error}</p> : null}
      <input type="hidden" name="key" value={state.key ?? formKey} />
      {flash ? <input type="hidden" name="flash" value={`${flash.campaignId}:${flash.skuId}`} /> : null}
      {groupBuy ? <input type="hidden" name="groupBuy" value={groupBuy.campaignId} /> : null}
      {groupBuy?.groupId ? <input type="hidden" name="group" value={groupBuy.groupId} /> : null}
      {couponIds.map((id) => (
        <input key={id} type="hidden" name="couponId" value={id} />
      ))}
      {points > 0 ? <input type="hidden" name="points" value={points} /> : null}
      <fieldset>
        <legend>{t('shipTo')}</legend>
        {addresses.map((a) => (
          <label key={a.id} className="choice block">
            <input type="radio" name="addressId" value={a.id} defaultChecked={a.isDefault} />
            {a.recipient}, {a.phone}, {a.province} {a.city} {a.district} {a.street}
          </label>
        ))}
      </fieldset>
      <fieldset aria-invalid={state.field === 'paymentMethod'}>
        <legend>{t('payWith')}</legend>
        {methods.map((m, i) => (
          <label key={m} className="choice">
            <input type="radio" name="paymentMethod" value={m} defaultChecked={i === 0} />
            {t(`method.${m}`)}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={pending || addresses.length === 0}>
        {t('placeOrder')}
      </button>
    </form>
  );
}
