#!/usr/bin/env node
// npm run bench:quote — the price pipeline (issue #14) beside the plain quote, in one run.
//
// Open loop at each of BENCH_RATES (50,200) quotes a second for BENCH_SECONDS (15) each, through /api/v1:
//   baseline: today's plain quote: an anonymous POST /quote of two SKUs of two shops (list prices,
//             each shop's shipping; no buyer, so no coupons, no membership)
//   full:     the whole pipeline for a signed-in member: the same lines plus a shop's full-reduction,
//             a shop coupon, a platform coupon and points (marketing asks membership for the
//             member's level and balance on every quote)
// Each scenario runs twice, interleaved (baseline, full, baseline, full), so drift shows; the table
// prints p50/p95/p99 (ms, from when each request was due), what was done per second, and failures.
// Memory of marketing and membership (with their sidecars) and of the whole platform is printed after.
import { writeFileSync } from 'node:fs';
import { openLoop } from '../lib/load.mjs';
import { api, cpuSpent, platformCpu, platformMemoryMiB, seedCatalog, startPlatform } from '../lib/platform.mjs';

const rates = (process.env.BENCH_RATES ?? '50,200').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const API = 'http://127.0.0.1:3000/api/v1';
const ms = (v) => (v === undefined || Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(1) : Math.round(v).toString());
const hour = 3600_000;
const cny = (amount) => ({ amount, currency: 'CNY' });

const platform = await startPlatform();
try {
  // two shops: the catalogue's bench shop, and a second one with its own product
  const a = await seedCatalog(1);
  const b = await seedCatalog(1);
  const skuA = (await api('GET', `/products/${a.productIds[0]}`)).skus[0].id;
  const skuB = (await api('GET', `/products/${b.productIds[0]}`)).skus[0].id;
  const lines = [
    { skuId: skuA, quantity: 20 },
    { skuId: skuB, quantity: 20 },
  ];
  const window = { claimStartsAt: new Date(Date.now() - 60_000).toISOString(), claimEndsAt: new Date(Date.now() + hour).toISOString() };
  const template = (path, token, body) =>
    api('POST', path, { token, idempotent: true, body: { name: { 'zh-CN': '券（中）', en: 'Coupon' }, scope: { kind: 'all' }, validity: { kind: 'after-claim', days: 7 }, ...window, total: 10, perUserLimit: 1, ...body } });
  await api('POST', `/shops/${a.shopId}/reductions`, {
    token: a.merchantToken,
    idempotent: true,
    body: { name: { 'zh-CN': '满减（中）', en: 'Five off fifty' }, tiers: [{ kind: 'amount-off', threshold: cny(5_000), off: cny(500) }], scope: { kind: 'all' }, startsAt: window.claimStartsAt, endsAt: window.claimEndsAt },
  });
  const shopTemplate = await template(`/shops/${a.shopId}/coupons`, a.merchantToken, { discount: { kind: 'fixed', amount: cny(500) }, minSpend: cny(6_000) });
  const platformTemplate = await template('/admin/coupons', a.adminToken, { discount: { kind: 'percent', percentOff: 10, maxOff: cny(2_000) }, minSpend: null });
  const member = await api('POST', '/auth/register', { idempotent: true, body: { email: a.email('member'), password: a.password, displayName: 'member' } });
  const token = member.tokens.accessToken;
  const couponIds = [];
  for (const t of [shopTemplate, platformTemplate]) couponIds.push((await api('POST', `/coupons/${t.id}/claim`, { token, idempotent: true })).id);
  await api('POST', `/admin/users/${member.user.id}/points`, { token: a.adminToken, idempotent: true, body: { points: 100_000, reason: 'bench' } });
  const full = { lines, couponIds, points: 1_000 };
  // the full quote must be what it says (every step applied), or the comparison means nothing
  const check = await api('POST', '/quote', { token, body: full });
  if (check.reductions.length !== 1 || check.coupons.length !== 2 || check.member?.points.used !== 1_000) throw new Error(`the full quote did not apply every step: ${JSON.stringify(check).slice(0, 400)}`);

  let why = new Map();
  const failed = (reason) => {
    why.set(reason, (why.get(reason) ?? 0) + 1);
    return false;
  };
  const body = (x) => JSON.stringify(x);
  const plainBody = body({ lines });
  const fullBody = body(full);
  const quote = (payload, auth) => async () => {
    const res = await fetch(`${API}/quote`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) }, body: payload, signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
    return res.status === 200 ? true : failed(`quote answered ${res.status}`);
  };
  const scenarios = { baseline: quote(plainBody, false), full: quote(fullBody, true) };

  // warm-up of both paths
  for (const flow of Object.values(scenarios)) await openLoop({ flow, rate: 50, seconds: 5 });
  const rows = [];
  console.log(`open loop, ${seconds} s per scenario and rate, through /api/v1 (latency from when each request was due)\n`);
  console.log(`${'scenario'.padEnd(12)} ${'offered/s'.padStart(9)} ${'done/s'.padStart(7)} ${'failed'.padStart(6)} ${'dropped'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'cpu ms/quote'.padStart(13)}`);
  for (const rate of rates) for (const round of [1, 2]) {
    for (const [name, flow] of Object.entries(scenarios)) {
      why = new Map();
      const before = platformCpu();
      const r = await openLoop({ flow, rate, seconds });
      const cpu = cpuSpent(before, platformCpu());
      rows.push({ scenario: name, rate, round, ...r, why: Object.fromEntries(why), cpuMsPerQuote: (cpu.total * 1000) / Math.max(1, r.ok), cpuTop: cpu.rows.slice(0, 6) });
      console.log(
        `${`${name} #${round}`.padEnd(12)} ${String(rate).padStart(9)} ${r.perSecond.toFixed(1).padStart(7)} ${String(r.failed).padStart(6)} ${String(r.dropped).padStart(7)} ${ms(r.p50).padStart(8)} ${ms(r.p95).padStart(8)} ${ms(r.p99).padStart(8)} ${((cpu.total * 1000) / Math.max(1, r.ok)).toFixed(1).padStart(13)}` +
          (why.size ? `   ${[...why].map(([k, n]) => `${n}× ${k}`).join('; ')}` : ''),
      );
    }
  }
  const worst = (name, rate, key) => Math.max(...rows.filter((r) => r.scenario === name && r.rate === rate).map((r) => r[key]));
  console.log('');
  for (const rate of rates) console.log(`at ${rate}/s: full pipeline p99 ${ms(worst('full', rate, 'p99'))} ms beside the plain quote's ${ms(worst('baseline', rate, 'p99'))} ms (worst of two rounds each)`);
  for (const r of rows.filter((x) => x.round === 2 && x.rate === rates[0])) console.log(`  where the CPU went (${r.scenario}, ms per quote): ${r.cpuTop.map((x) => `${x.name} ${((x.seconds * 1000) / Math.max(1, r.ok)).toFixed(1)}`).join(', ')}`);
  const memory = platformMemoryMiB();
  const of = (what) => memory.rows.filter((r) => r.what.startsWith(what)).reduce((s, r) => s + r.rss, 0);
  console.log(`\nmemory after the run (RSS, MiB): marketing ${Math.round(of('marketing'))} with its sidecar, membership ${Math.round(of('membership'))} with its sidecar; platform ${Math.round(memory.totalRss)} (${memory.rows.length} processes, PSS ${Math.round(memory.total)}); infrastructure beside it PSS ${Math.round(memory.infrastructure.total)}`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ rates, seconds, rows, memory: { total: memory.total, totalRss: memory.totalRss, infrastructure: memory.infrastructure.total } }, null, 2));
} finally {
  await platform.stop();
}
