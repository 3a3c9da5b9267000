'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { refundAction } from '@/app/[locale]/orders/actions';
import type { FormState } from '@/lib/form-state';
import { errorOf, Field, FormAlert } from './form-fields';

const idle: FormState = { errors: [], problem: null };

/** The buyer's request for money back from one shop: a reason, and an amount unless it is everything left. */
export function RefundForm({ orderId, subOrderId, currency, left, formKey }: { orderId: string; subOrderId: string; currency: string; left: string; formKey: string }) {
  const t = useTranslations('orders.refund');
  const [state, action, pending] = useActionState(refundAction, idle);
  const id = `refund-${subOrderId}`;
  return (
    <form action={action} className="form" aria-label={t('title')}>
      <FormAlert state={state} label={(f) => t(f === 'amount' ? 'amount' : 'reason')} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="subOrderId" value={subOrderId} />
      <input type="hidden" name="currency" value={currency} />
      <Field id={`${id}-reason`} name="reason" required minLength={3} maxLength={500} label={t('reason')} error={errorOf(state, 'reason')} defaultValue={state.values?.reason ?? ''} />
      <Field id={`${id}-amount`} name="amount" inputMode="decimal" label={t('amountLeft', { left })} error={errorOf(state, 'amount')} defaultValue={state.values?.amount ?? ''} />
      <button type="submit" disabled={pending}>
        {t('submit')}
      </button>
    </form>
  );
}
