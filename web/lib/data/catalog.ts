import 'server-only';
import { CatalogPublic } from '@emporium/contracts';
import { call, orNull } from './sidecar';

/** A published product; with the session's token a company buyer sees its company prices. Null when there is none. */
export async function product(id: string, token: string | undefined) {
  return orNull(call(CatalogPublic.getProduct, { params: { productId: id }, token }));
}
