'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { returnAction, shipBackAction } from '@/app/[locale]/orders/actions';
import type { FormState } from '@/lib/form-state';
import { errorOf, Field, FormAlert, UnitsFieldset } from './form-fields';
import type { RefundableLine } from './refund-form';

const idle: FormState = { errors: [], problem: null };

/** The buyer asks to return units of a delivered sub-order: how many of each line, and why. */
export function ReturnForm({ orderId, subOrderId, until, formKey, lines }: { orderId: string; subOrderId: string; until: string; formKey: string; lines: RefundableLine[] }) {
  const t = useTranslations('returns');
  const [state, action, pending] = useActionState(returnAction, idle);
  const id = `return-${subOrderId}`;
  return (
    <form action={action} className="form" aria-label={t('ask')}>
      <p className="hint">{t('window', { until })}</p>
      <FormAlert state={state} label={(f) => t(f.startsWith('lines') ? 'units' : f === 'subOrderId' ? 'ask' : 'reason')} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="subOrderId" value={subOrderId} />
      <UnitsFieldset id={id} legend={t('units')} lines={lines} label={(l) => t('unitsOf', { name: l.name, units: l.units })} values={state.values} />
      <Field id={`${id}-reason`} name="reason" required minLength={3} maxLength={500} label={t('reason')} error={errorOf(state, 'reason')} defaultValue={state.values?.reason ?? ''} />
      <button type="submit" disabled={pending}>
        {t('submit')}
      </button>
    </form>
  );
}

/** The buyer sends the goods of an approved return back: a carrier and its tracking number. */
export function ShipBackForm({ orderId, returnId, formKey, carriers }: { orderId: string; returnId: string; formKey: string; carriers: readonly { code: string; name: string; example: string }[] }) {
  const t = useTranslations('returns');
  const [state, action, pending] = useActionState(shipBackAction, idle);
  const id = `ship-back-${returnId}`;
  return (
    <form action={action} className="form inline" aria-label={t('shipBack')}>
      <FormAlert state={state} label={(f) => t(f === 'carrier' ? 'carrier' : 'trackingNumber')} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="returnId" value={returnId} />
      <Field id={`${id}-carrier`} label={t('carrier')} error={errorOf(state, 'carrier')}>
        <select id={`${id}-carrier`} name="carrier" defaultValue={state.values?.carrier ?? carriers[0]?.code}>
          {carriers.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-number`} name="trackingNumber" required className="wide" label={t('trackingNumber')} error={errorOf(state, 'trackingNumber')} defaultValue={state.values?.trackingNumber ?? ''} />
      <button type="submit" disabled={pending}>
        {t('send')}
      </button>
    </form>
  );
}
