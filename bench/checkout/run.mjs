#!/usr/bin/env node
// npm run bench:checkout — completed checkouts per second and latency from the
// checkout call to the order being PAID, at a fixed arrival rate, through the
// /api/v1 gateway, with the provider simulator answering at once. In the same
// run, the baseline: the quote alone (POST /quote, the first hop of every
// checkout) at the same rates. Prints a table and the platform's memory.
//   npm run bench:checkout                          rates 10 and 25 checkouts/s, 15 s each
//   BENCH_RATES=5,50 BENCH_SECONDS=20 npm run bench:checkout
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLoop } from '../lib/load.mjs';
import { api, platformMemoryMiB, root, seedCatalog, startPlatform } from '../lib/platform.mjs';

const rates = (process.env.BENCH_RATES ?? '10,25').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const API = 'http://127.0.0.1:3000/api/v1';
const PROVIDER = 'http://127.0.0.1:3190';
const ms = (v) => (Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(1) : Math.round(v).toString());

const platform = await startPlatform();
try {
  const seeded = await seedCatalog(1);
  const product = await api('GET', `/products/${seeded.productIds[0]}`);
  const skus = product.skus.map((s) => s.id);
  for (const skuId of skus) {
    await api('POST', `/shops/${seeded.shopId}/stock/${skuId}/receipts`, { token: seeded.merchantToken, idempotent: true, body: { quantity: 1_000_000 } });
  }
  const buyers = [];
  for (let i = 0; i < 20; i++) {
    const s = await api('POST', '/auth/register', { idempotent: true, body: { email: seeded.email(`buyer${i}`), password: seeded.password, displayName: `buyer ${i}` } });
    buyers.push(s.tokens.accessToken);
  }
  const apiKey = JSON.parse(readFileSync(join(root, '.emporium', 'secrets.json'), 'utf8')).payment['provider-api-key'];
  let keys = 0;
  const post = (url, token, body, extra = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...extra }, body: JSON.stringify(body) });

  /** One shopper's checkout, from the call to PAID; answers the ms it took, or null on failure. */
  async function checkoutOnce(i) {
    const token = buyers[i % buyers.length];
    const lines = [{ skuId: skus[i % skus.length], quantity: 1 }];
    const res = await post(`${API}/checkout`, token, { paymentMethod: 'card', lines }, { 'idempotency-key': `bench-${process.pid}-${keys++}` });
    if (res.status !== 202) return null;
    const order = await res.json();
    if (!order.payment?.hostedUrl) return null;
    const confirm = await post(`${PROVIDER}/v1/payments/${order.payment.hostedUrl.split('/').pop()}/confirm`, apiKey, { cardNumber: '4242424242424242' });
    await confirm.arrayBuffer();
    // a client polls its order about ten times a second
    for (let n = 0; n < 300; n++) {
      const o = await (await fetch(`${API}/orders/${order.id}`, { headers: { authorization: `Bearer ${token}` } })).json();
      if (o.status === 'paid') return true;
      if (o.status === 'cancelled') return null;
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  }
  async function quoteOnce(i) {
    const res = await post(`${API}/quote`, buyers[i % buyers.length], { lines: [{ skuId: skus[i % skus.length], quantity: 1 }] });
    await res.arrayBuffer();
    return res.status === 200 ? true : null;
  }

  console.log(`open loop, ${seconds} s per rate; checkout = POST /checkout, pay at the provider, poll until PAID\n`);
  console.log(`${'scenario'.padEnd(26)} ${'offered/s'.padStart(9)} ${'done/s'.padStart(7)} ${'failed'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  const row = (name, r) =>
    console.log(`${name.padEnd(26)} ${String(r.offered).padStart(9)} ${r.perSecond.toFixed(1).padStart(7)} ${String(r.failed).padStart(6)} ${ms(r.p50).padStart(8)} ${ms(r.p95).padStart(8)} ${ms(r.p99).padStart(8)}`);
  await openLoop({ flow: quoteOnce, rate: 5, seconds }); // warm-up
  await openLoop({ flow: checkoutOnce, rate: 2, seconds });
  for (const rate of rates) {
    row('baseline: quote only', await openLoop({ flow: quoteOnce, rate, seconds }));
    row('checkout to PAID', await openLoop({ flow: checkoutOnce, rate, seconds }));
  }
  const memory = platformMemoryMiB();
  console.log(`\nplatform memory after the run: ${Math.round(memory.total)} MiB (${memory.rows.length} processes)`);
} finally {
  await platform.stop();
}
