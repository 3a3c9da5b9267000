import 'server-only';
import { Product } from '@emporium/contracts';
import { invoke, orNull } from './sidecar';

/** A published product; with the session's token a company buyer sees its company prices. Null when there is none. */
export async function product(id: string, token: string | undefined) {
  return orNull(invoke('catalog', `/products/${encodeURIComponent(id)}`, Product, { token }));
}
