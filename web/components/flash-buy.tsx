'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { buyFlashAction, type FlashBuyState } from '@/app/[locale]/flash-actions';

/** Buy one unit now: held for the shopper, then checkout. */
export function FlashBuy({ campaignId, formKey }: { campaignId: string; formKey: string }) {
  const t = useTranslations('home');
  const [state, action, pending] = useActionState<FlashBuyState, FormData>(buyFlashAction, { error: null });
  return (
    <form action={action}>
      <input type="hidden" name="campaignId" value={campaignId} />
      <input type="hidden" name="key" value={formKey} />
      <button type="submit" disabled={pending}>
        {t('buyNow')}
      </button>
      {state.error ? <p role="alert" className="error">{state.error}</p> : null}
    </form>
  );
}
