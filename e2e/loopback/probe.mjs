// Runs inside a network namespace whose only interface is loopback (see
// loopback-only.e2e.test.ts): brings `lo` up, starts the platform as
// `npm run dev` does (nothing answers there, so on embedded infrastructure),
// then walks it as its users would through /api/v1 and the pages: an admin,
// a merchant with a product in stock, a card checkout paid on the provider's
// page, a flash-sale hold checked out at the sale's price, the storefront
// and the seller portal. Prints one JSON line per step; exits non-zero on
// the first that fails.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const step = (name, data = {}) => console.log(JSON.stringify({ step: name, ...data }));

execFileSync('ip', ['link', 'set', 'lo', 'up']);
const interfaces = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
  .split('\n')
  .filter(Boolean)
  .map((l) => l.split(':')[1].trim());
step('interfaces', { interfaces });

let output = '';
const dev = spawn(process.execPath, [join(root, 'scripts', 'dev.mjs')], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
dev.stdout.on('data', (c) => (output = (output + c).slice(-200_000)));
dev.stderr.on('data', (c) => (output = (output + c).slice(-200_000)));
const stop = async () => {
  if (dev.exitCode !== null) return;
  const exited = new Promise((r) => dev.once('exit', r));
  dev.kill('SIGINT');
  const timer = setTimeout(() => dev.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
};

try {
  const deadline = Date.now() + 600_000;
  while (!/Emporium is up/.test(output)) {
    if (dev.exitCode !== null) throw new Error(`npm run dev exited with ${dev.exitCode}`);
    if (Date.now() > deadline) throw new Error('the platform did not come up in 10 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
  step('up', { profile: /profile: (\w+)/.exec(output)?.[1] ?? null, mtls: /sentry \S+ \(mTLS\)/.test(output) });

  const { call, e2ePeople, eventually, submitCard } = await import('@emporium/devkit/client');
  const run = Date.now().toString(36);
  const { text, register, admin, shopSelling } = e2ePeople(run, 'loopback.example.com');
  const adminTokens = await admin();
  const shop = await shopSelling('kiln', adminTokens, 6800, 10);
  step('merchant', { shopId: shop.shopId, skuId: shop.skuId });

  // a card checkout, paid on the provider simulator's hosted page
  const shopper = (await register('shopper')).tokens;
  const started = await call('POST', '/checkout', { token: shopper, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: shop.skuId, quantity: 2 }] } });
  if (started.status !== 202 && started.status !== 201) throw new Error(`checkout answered ${started.status}: ${JSON.stringify(started.body)}`);
  const hosted = (await eventually('the payment page', () => call('GET', `/orders/${started.body.id}`, { token: shopper }), (r) => Boolean(r.body.payment?.hostedUrl))).body.payment.hostedUrl;
  const submitted = await submitCard(hosted);
  const paid = await eventually('the order to be paid', () => call('GET', `/orders/${started.body.id}`, { token: shopper }), (r) => r.body.status === 'paid', 60_000);
  step('checkout', { card: submitted.status, status: paid.body.status, total: paid.body.total });

  // a flash sale: a hold at the sale's price, checked out
  const sale = await call('POST', `/shops/${shop.shopId}/flash-sales`, {
    token: shop.tokens,
    idempotent: true,
    body: { skuId: shop.skuId, title: text('Teapot hour'), price: { amount: 990, currency: 'CNY' }, quantity: 3, perUserLimit: 1, startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: new Date(Date.now() + 30 * 60_000).toISOString() },
  });
  if (sale.status !== 201) throw new Error(`flash sale answered ${sale.status}: ${JSON.stringify(sale.body)}`);
  const hold = await eventually('a flash-sale hold', () => call('POST', `/flash-sales/${sale.body.id}/holds`, { token: shopper, idempotent: true, body: { quantity: 1 } }), (r) => r.status === 201 || r.status === 200, 30_000);
  const flash = await call('POST', '/checkout', { token: shopper, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: shop.skuId, quantity: 1, flashSaleId: sale.body.id }] } });
  if (flash.status !== 202 && flash.status !== 201) throw new Error(`flash checkout answered ${flash.status}: ${JSON.stringify(flash.body)}`);
  step('flash-sale', { hold: hold.status, line: flash.body.subOrders?.[0]?.lines?.[0] ?? null });

  // the storefront and the seller portal render
  const pages = {};
  for (const path of ['/zh-CN', '/en', `/zh-CN/products/${shop.productId}`, '/zh-CN/seller']) {
    const res = await fetch(`http://127.0.0.1:3000${path}`, { redirect: 'manual' });
    pages[path] = res.status;
  }
  step('pages', { pages });
  await stop();
  step('stopped', { code: dev.exitCode });
} catch (err) {
  step('failed', { error: String(err?.stack ?? err), tail: output.slice(-6000) });
  await stop();
  process.exit(1);
}
