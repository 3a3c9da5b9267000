/**
 * What a coupon or a full-reduction activity applies to, as the seller's forms ask it: every product of
 * the shop, or the products ticked (`scope` = 'products', one `productId` field per tick).
 */
export function scopeOf(form: FormData): { kind: 'all' } | { kind: 'products'; productIds: string[] } {
  if (form.get('scope') !== 'products') return { kind: 'all' };
  const ids = form.getAll(SCOPE_FIELD).filter((v): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v));
  return { kind: 'products', productIds: [...new Set(ids)].slice(0, 200) };
}

/** The form's field for any refused path of the scope (`scope.productIds` is the list of ticks). */
export const SCOPE_FIELD = 'productId';
