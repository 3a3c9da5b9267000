// A shopper of the benchmarks: a seeded shop with stock, buyers, and one card
// checkout followed as a client of the API follows it (bench:checkout,
// bench:memory's traffic phase).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, root, seedCatalog } from './platform.mjs';

export const API = 'http://127.0.0.1:3000/api/v1';
const PROVIDER = 'http://127.0.0.1:3190';
const sleep = (t) => new Promise((r) => setTimeout(r, t));

/**
 * Seeds `products` products of one shop with plenty of stock and `buyers` registered buyers.
 *   const shop = await prepareShoppers({ products: 1, buyers: 20, failed: (reason) => false })
 *   shop.checkoutOnce(i): true (PAID), 'refused' (503 + Retry-After at the door) or failed(reason)
 *   shop.unfinished: admitted checkouts (202) not yet seen PAID or cancelled, id → token
 *   shop.post(url, token, body, headers): a bounded POST; shop.follow(orderId, token, done)
 */
export async function prepareShoppers({ products = 1, buyers: buyerCount = 20, failed }) {
  const seeded = await seedCatalog(products);
  const skus = [];
  for (const productId of seeded.productIds) {
    const product = await api('GET', `/products/${productId}`);
    for (const sku of product.skus) {
      await api('POST', `/shops/${seeded.shopId}/stock/${sku.id}/receipts`, { token: seeded.merchantToken, idempotent: true, body: { quantity: 1_000_000 } });
      skus.push(sku.id);
    }
  }
  const buyers = [];
  for (let i = 0; i < buyerCount; i++) {
    const s = await api('POST', '/auth/register', { idempotent: true, body: { email: seeded.email(`buyer${i}`), password: seeded.password, displayName: `buyer ${i}` } });
    buyers.push(s.tokens.accessToken);
  }
  const apiKey = JSON.parse(readFileSync(join(root, '.emporium', 'secrets.json'), 'utf8')).payment['provider-api-key'];

  let keys = 0;
  // every request bounded (a sidecar may never answer: Dapr's invocation has no timeout of its own); a flow that throws counts as failed
  const post = (url, token, body, extra = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...extra }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  const unfinished = new Map();

  /**
   * Follows an order as a client of the API does: GET with its ETag and `Prefer: wait=10`, so each
   * answer comes when the order changed (or after 10 s unchanged, 304); until `done(order)` or 30 s.
   */
  async function follow(orderId, token, done) {
    const deadline = Date.now() + 30_000;
    let etag;
    while (Date.now() < deadline) {
      const res = await fetch(`${API}/orders/${orderId}`, { headers: { authorization: `Bearer ${token}`, ...(etag ? { 'if-none-match': etag, prefer: 'wait=10' } : {}) }, signal: AbortSignal.timeout(20_000) });
      if (res.status === 304) continue;
      if (res.status !== 200) {
        await res.arrayBuffer();
        await sleep(100);
        continue;
      }
      const o = await res.json();
      etag = res.headers.get('etag') ?? undefined;
      if (done(o)) return o;
    }
    return undefined;
  }

  /** One shopper's checkout, from the call to PAID: true, 'refused' (503 + Retry-After at the door) or failed(reason). */
  async function checkoutOnce(i) {
    const token = buyers[i % buyers.length];
    const lines = [{ skuId: skus[i % skus.length], quantity: 1 }];
    const res = await post(`${API}/checkout`, token, { paymentMethod: 'card', lines }, { 'idempotency-key': `bench-${process.pid}-${keys++}` });
    if (res.status === 503 && res.headers.get('retry-after')) {
      await res.arrayBuffer();
      return 'refused';
    }
    if (res.status !== 202) return failed(`checkout answered ${res.status}`);
    let order = await res.json();
    unfinished.set(order.id, token);
    // answered before the payment page was ready: follow the order for it, as the API says
    if (!order.payment?.hostedUrl) {
      order = await follow(order.id, token, (o) => Boolean(o.payment?.hostedUrl) || o.status !== 'pending_payment');
      if (!order?.payment?.hostedUrl) return failed(order ? `${order.status} before a payment page` : 'no payment page within 30 s');
    }
    const confirm = await post(`${PROVIDER}/v1/payments/${order.payment.hostedUrl.split('/').pop()}/confirm`, apiKey, { cardNumber: '4242424242424242' });
    await confirm.arrayBuffer();
    const end = await follow(order.id, token, (o) => o.status !== 'pending_payment');
    if (end) unfinished.delete(order.id);
    if (end?.status === 'paid') return true;
    return failed(end ? `cancelled: ${end.cancelReason}` : 'not paid within 30 s');
  }

  /** Admitted checkouts still not PAID or cancelled: asked once more after a grace period (a card payment ends in seconds). */
  async function leftUnfinished() {
    const deadline = Date.now() + 60_000;
    while (unfinished.size && Date.now() < deadline) {
      for (const [id, token] of unfinished) {
        try {
          const o = await (await fetch(`${API}/orders/${id}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(20_000) })).json();
          if (o.status !== 'pending_payment') unfinished.delete(id);
        } catch {
          // asked again in the next round
        }
      }
      if (unfinished.size) await sleep(1000);
    }
    return unfinished.size;
  }

  return { seeded, skus, buyers, post, follow, checkoutOnce, leftUnfinished, unfinished };
}
