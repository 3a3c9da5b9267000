'use server';

import { getTranslations } from 'next-intl/server';
import { addToCart } from '@/lib/data/cart';

export interface AddState {
  status: 'idle' | 'added' | 'error';
  message: string | null;
}

export async function addToCartAction(_prev: AddState, form: FormData): Promise<AddState> {
  const t = await getTranslations('product');
  const skuId = form.get('skuId');
  const quantity = Number(form.get('quantity'));
  if (typeof skuId !== 'string' || !Number.isInteger(quantity) || quantity < 1 || quantity > 999) return { status: 'error', message: t('badQuantity') };
  try {
    await addToCart(skuId, quantity);
    return { status: 'added', message: t('added') };
  } catch {
    return { status: 'error', message: t('notAdded') };
  }
}
