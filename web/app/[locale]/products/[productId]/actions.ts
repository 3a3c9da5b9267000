'use server';

import { getTranslations } from 'next-intl/server';
import { recordInteraction } from '@/lib/data/analytics';
import { addToCart } from '@/lib/data/cart';
import { isUuid } from '@/lib/ids';

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
    const productId = form.get('productId');
    if (typeof productId === 'string' && isUuid(productId)) await recordInteraction('cart', productId);
    return { status: 'added', message: t('added') };
  } catch {
    return { status: 'error', message: t('notAdded') };
  }
}
