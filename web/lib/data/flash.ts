import 'server-only';
import { InventoryPublic, MarketingPublic } from '@emporium/contracts';
import { call, orNull, ServiceError } from './sidecar';

export async function flashSale(id: string) {
  return orNull(call(MarketingPublic.getFlashSale, { params: { campaignId: id } }));
}

/** Holds units of a running sale for the signed-in shopper; the refusal's status when there is one (409: sold out, limit, window). */
export async function holdUnits(token: string, campaignId: string, quantity: number, key: string) {
  try {
    return { ok: true as const, hold: await call(InventoryPublic.holdFlashSaleUnits, { params: { campaignId }, token, body: { quantity }, headers: { 'idempotency-key': key } }) };
  } catch (err) {
    if (err instanceof ServiceError && err.status < 500) return { ok: false as const, status: err.status };
    throw err;
  }
}
