import 'server-only';
import { Product } from '@emporium/contracts';
import { invoke, ServiceError } from './sidecar';

/** A published product; with the session's token a company buyer sees its company prices. Null when there is none. */
export async function product(id: string, token: string | undefined) {
  try {
    return await invoke('catalog', `/products/${encodeURIComponent(id)}`, Product, { token });
  } catch (err) {
    if (err instanceof ServiceError && (err.status === 404 || err.status === 400)) return null;
    throw err;
  }
}
