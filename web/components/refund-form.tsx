'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { refundAction } from '@/app/[locale]/orders/actions';
import type { FormState } from '@/lib/form-state';
import { errorOf, Field, FormAlert, UnitsFieldset } from './form-fields';

const idle: FormState = { errors: [], problem: null };

/** A line the buyer may give back units of: its name, and how many units are not yet asked back. */
export interface RefundableLine {
  skuId: string;
  name: string;
  units: number;
}

/** The buyer's request for money back from one shop: a reason, and an amount unless it is everything left, or units of its lines. */
export function RefundForm({ orderId, subOrderId, currency, left, formKey, lines = [] }: { orderId: string; subOrderId: string; currency: string; left: string; formKey: string; lines?: RefundableLine[] }) {
  const t = useTranslations('orders.refund');
  const [state, action, pending] = useActionState(refundAction, idle);
  const id = `refund-${subOrderId}`;
  return (
    <form action={action} className="form" aria-label={t('title')}>
      <FormAlert state={state} label={(f) => t(f === 'amount' ? 'amount' : f.startsWith('lines') ? 'items' : 'reason')} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="subOrderId" value={subOrderId} />
      <input type="hidden" name="currency" value={currency} />
      <Field id={`${id}-reason`} name="reason" required minLength={3} maxLength={500} label={t('reason')} error={errorOf(state, 'reason')} defaultValue={state.values?.reason ?? ''} />
      <Field id={`${id}-amount`} name="amount" inputMode="decimal" label={t('amountLeft', { left })} error={errorOf(state, 'amount')} defaultValue={state.values?.amount ?? ''} />
      {lines.some((l) => l.units > 0) ? (
        <UnitsFieldset id={id} legend={t('items')} hint={t('itemsHint')} lines={lines} label={(l) => t('units', { name: l.name, units: l.units })} values={state.values} />
      ) : null}
      <button type="submit" disabled={pending}>
        {t('submit')}
      </button>
    </form>
  );
}
