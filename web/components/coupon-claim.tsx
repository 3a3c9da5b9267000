'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { claimCouponAction, type ClaimState } from '@/app/[locale]/coupons/actions';

/** 领券: one coupon of a template for the shopper; says at once whether it was claimed or why not. */
export function CouponClaim({ templateId, label, formKey, back }: { templateId: string; label: string; formKey: string; back: string }) {
  const t = useTranslations('coupons');
  const [state, action, pending] = useActionState<ClaimState, FormData>(claimCouponAction, { status: 'idle', message: null });
  return (
    <form action={action} className="form inline">
      <input type="hidden" name="templateId" value={templateId} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" disabled={pending} aria-label={`${t('claim')}: ${label}`}>
        {t('claim')}
      </button>
      {state.message ? (
        <span role="status" className={state.status === 'claimed' ? 'ok' : 'error'}>
          {' '}
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
