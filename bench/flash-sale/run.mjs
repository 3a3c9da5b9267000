#!/usr/bin/env node
// npm run bench:flash-sale — one hot SKU at fixed concurrency.
//
// The flash sale (inventory's FlashSaleStock actor behind its batching gate)
// is measured twice: through the /api/v1 gateway, as shoppers reach it, and
// through Dapr service invocation from web's sidecar. In the same run, two
// baselines behind that same front (a Node Express app with its own sidecar,
// called from web's sidecar): a PostgreSQL `UPDATE … SET stock = stock - n
// WHERE stock >= n` and a Redis Lua decrement. Each is run
//   - with ample stock: accepted reservations per second;
//   - on a sale of BENCH_SOLD_OUT_UNITS units: it sells out within the run,
//     then attempts per second once sold out.
// Oversell is checked after every run (accepted units against what the store
// says is left). With ample stock only, two more rows: PostgreSQL doing the
// flash sale's own work (retried key, limit, hold row, stock; one
// transaction), and the front alone (the app answers and stores nothing).
// Prints a table, the ratios, how many sold-out refusals the actor never
// saw, where each ample-stock run's CPU went (µs per request, by process:
// every run here keeps both cores busy, so that is what sets its rate) and
// the platform's memory.
//   npm run bench:flash-sale
//   BENCH_CONNECTIONS=32 BENCH_SECONDS=10 npm run bench:flash-sale
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, cpuPer, cpuSpent, platformCpu, platformMemoryMiB, root, seedCatalog, startBenchApp, startPlatform } from '../lib/platform.mjs';
import { closedLoop, postJson } from '../lib/load.mjs';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const shoppers = Number(process.env.BENCH_SHOPPERS ?? 400);
const soldOutUnits = Number(process.env.BENCH_SOLD_OUT_UNITS ?? 2000);
/** each shopper's limit, in the flash sale and in the baseline doing its work */
const PER_USER_LIMIT = 100;
const GATEWAY = 'http://127.0.0.1:3000/api/v1';
const WEB_SIDECAR = 'http://127.0.0.1:3500/v1.0/invoke';
const INVENTORY_METRICS = 'http://127.0.0.1:3104/metrics';
const ms = (v) => (v === undefined || Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(1) : Math.round(v).toString());

const platform = await startPlatform();
const daprTokens = JSON.parse(readFileSync(join(root, '.emporium', 'dapr-tokens.json'), 'utf8'));
const profile = /Emporium is up \((\w+) profile\)/.exec(platform.output())?.[1] ?? 'services';
let baseline;
try {
  // --- the platform side: a shop, one SKU with plenty of stock, shoppers ---
  const seeded = await seedCatalog(1);
  const product = await api('GET', `/products/${seeded.productIds[0]}`);
  const skuId = product.skus[0].id;
  await api('POST', `/shops/${seeded.shopId}/stock/${skuId}/receipts`, { token: seeded.merchantToken, idempotent: true, body: { quantity: 1_000_000 } });
  const tokens = [];
  for (let i = 0; i < shoppers; i += 16) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(16, shoppers - i) }, (_, k) =>
        api('POST', '/auth/register', { idempotent: true, body: { email: seeded.email(`fan${i + k}`), password: seeded.password, displayName: `fan ${i + k}` } }),
      ),
    );
    tokens.push(...batch.map((s) => s.tokens.accessToken));
  }
  const newSale = async (quantity) =>
    (
      await api('POST', `/shops/${seeded.shopId}/flash-sales`, {
        token: seeded.merchantToken,
        idempotent: true,
        body: {
          skuId,
          title: { 'zh-CN': '秒杀', en: 'Flash' },
          price: { amount: 1, currency: 'CNY' },
          quantity,
          perUserLimit: PER_USER_LIMIT,
          startsAt: new Date(Date.now() - 1000).toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      })
    ).id;

  // --- the baselines, behind their own sidecar (the benchmark's own database, beside the platform's tables) ---
  const endpoints = platform.endpoints.endpoints;
  baseline = await startBenchApp(platform, { appId: 'bench-baseline', script: join(root, 'bench/flash-sale/baseline-app.mjs'), args: [endpoints.postgres, endpoints.redis] });
  const { viaWeb } = baseline;
  // until web's sidecar resolves the new app
  for (let i = 0; ; i++) {
    const r = await postJson(`${WEB_SIDECAR}/bench-baseline/method/setup`, { sale: 'warm', quantity: 1 }, viaWeb);
    if (r.status === 204) break;
    if (i > 100) throw new Error(`baseline app not reachable through web's sidecar: ${r.status}`);
    await new Promise((res) => setTimeout(res, 200));
  }

  let keyN = 0;
  const key = () => `bench-${process.pid}-${keyN++}`;
  const label = (r) => (r.status === 201 ? 'held' : r.status === 409 ? (r.body?.code ?? 'refused') : `http ${r.status}`);
  const flashTarget = (front, campaignId) => (i) => {
    const url = front === 'gateway' ? `${GATEWAY}/flash-sales/${campaignId}/holds` : `${WEB_SIDECAR}/inventory/method/flash-sales/${campaignId}/holds`;
    return postJson(url, { quantity: 1 }, { authorization: `Bearer ${tokens[i % tokens.length]}`, 'idempotency-key': key(), ...(front === 'gateway' ? {} : viaWeb) }).then(label);
  };
  // the same-work row names a shopper (as many as the flash sale's, same limit) and a key per request
  const baselineTarget = (store, sale) => (i) =>
    postJson(`${WEB_SIDECAR}/bench-baseline/method/${store}/${sale}/holds`, { quantity: 1, ...(store === 'pg-same-work' ? { user: `fan${i % tokens.length}`, key: key() } : {}) }, viaWeb).then(label);
  const flashLeft = async (campaignId) => {
    const a = await api('GET', `/flash-sales/${campaignId}/availability`);
    return { left: a.remaining, taken: a.held + a.sold, quantity: a.quantity };
  };
  const baselineLeft = async (store, sale, quantity) => {
    const s = await (await fetch(`${WEB_SIDECAR}/bench-baseline/method/state/${sale}`, { headers: viaWeb })).json();
    return store === 'front' ? { left: quantity - s.front, taken: s.front, quantity } : { left: s[store], taken: quantity - s[store], quantity };
  };
  const cacheCounts = async () => {
    const text = await (await fetch(INVENTORY_METRICS, { headers: { 'dapr-api-token': daprTokens.inventory.app } })).text();
    const sum = (name) => Number(new RegExp(`${name}_sum\\{[^}]*\\} ([0-9.e+-]+)`).exec(text)?.[1] ?? 0);
    const n = (via) => Number(new RegExp(`flash_sale_hold_attempts_total\\{outcome="sold_out",via="${via}"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
    const turns = Number(/flash_sale_hold_turns_total\{[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
    return { cache: n('cache'), actor: n('actor'), turns, turnSeconds: sum('flash_sale_hold_turn_seconds') };
  };

  const rows = [];
  let oversold = 0;
  async function measure(name, target, left) {
    const before = await cacheCounts();
    const cpuBefore = platformCpu();
    const r = await closedLoop({ flow: target, connections, seconds });
    const cpu = cpuSpent(cpuBefore, platformCpu());
    const after = await cacheCounts();
    const held = r.outcomes.held ?? { count: 0, last: 0 };
    const state = await left();
    const over = held.count - state.taken;
    if (over !== 0 || state.left < 0 || state.taken > state.quantity) oversold += 1;
    const refusedLabels = Object.keys(r.outcomes).filter((l) => l !== 'held');
    const refused = refusedLabels.reduce((s, l) => s + r.outcomes[l].count, 0);
    const soldOutAt = held.last / 1000;
    const row = {
      name,
      accepted: held.count,
      acceptedPerSecond: held.count / (state.left === 0 ? soldOutAt || r.elapsed : r.elapsed),
      refusedPerSecond: state.left === 0 ? refused / Math.max(0.001, r.elapsed - soldOutAt) : refused / r.elapsed,
      soldOut: state.left === 0,
      soldOutAt,
      held,
      refusal: r.outcomes.sold_out ?? r.outcomes[refusedLabels[0]],
      others: refusedLabels.filter((l) => l !== 'sold_out').map((l) => `${l} ${r.outcomes[l].count}`),
      over,
      turns: after.turns - before.turns,
      turnMs: ((after.turnSeconds - before.turnSeconds) * 1000) / Math.max(1, after.turns - before.turns),
      cache: after.cache - before.cache,
      viaActor: after.actor - before.actor,
      cpu,
      attempts: Object.values(r.outcomes).reduce((n, o) => n + o.count, 0),
    };
    rows.push(row);
    const lat = row.soldOut ? row.refusal : held;
    console.log(
      `${name.padEnd(70)} ${String(row.accepted).padStart(8)} ${(row.soldOut ? '-' : row.acceptedPerSecond.toFixed(0)).padStart(10)} ${(row.soldOut ? row.refusedPerSecond.toFixed(0) : '-').padStart(10)} ${ms(lat?.p50).padStart(7)} ${ms(lat?.p95).padStart(7)} ${ms(lat?.p99).padStart(7)} ${String(over).padStart(8)}${row.others.length ? `  (${row.others.join(', ')})` : ''}`,
    );
    return row;
  }

  console.log(`closed loop, ${connections} connections, ${seconds} s per run, ${tokens.length} shoppers (limit ${PER_USER_LIMIT} each), ${profile} profile`);
  console.log('latency columns: of accepted holds with ample stock, of refusals once sold out\n');
  console.log(`${'run'.padEnd(70)} ${'accepted'.padStart(8)} ${'accepted/s'.padStart(10)} ${'refused/s'.padStart(10)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'oversold'.padStart(8)}`);

  // warm-up: actors placed, connections open, JIT warm, on both fronts (the gateway's run came first cold)
  const warm = await newSale(20_000);
  await closedLoop({ flow: flashTarget('gateway', warm), connections: 8, seconds: 2 });
  await closedLoop({ flow: flashTarget('sidecar', warm), connections: 8, seconds: 2 });
  await closedLoop({ flow: baselineTarget('pg', 'warm'), connections: 8, seconds: 1 });

  const ample = 300_000;
  const result = {};
  for (const front of ['gateway', 'sidecar']) {
    const id = await newSale(ample);
    result[`flash-${front}-ample`] = await measure(`flash sale, ample stock (${front === 'gateway' ? '/api/v1 gateway' : "web's sidecar"})`, flashTarget(front, id), () => flashLeft(id));
  }
  const baselineNames = { pg: 'baseline PostgreSQL UPDATE', redis: 'baseline Redis Lua', 'pg-same-work': "baseline PostgreSQL, the flash sale's work" };
  // pg-same-work: the flash sale's own work (retried key, shopper's limit, hold row, stock) in one PostgreSQL transaction
  for (const store of ['pg', 'redis', 'pg-same-work']) {
    const sale = `ample-${store}-${Date.now()}`;
    await postJson(`${WEB_SIDECAR}/bench-baseline/method/setup`, { sale, quantity: ample, perUserLimit: PER_USER_LIMIT }, viaWeb);
    result[`${store}-ample`] = await measure(`${baselineNames[store]}, ample stock (web's sidecar)`, baselineTarget(store, sale), () => baselineLeft(store, sale, ample));
  }
  // the front alone: the same two sidecars and an Express app that answers 201 and stores nothing
  {
    const sale = `front-${Date.now()}`;
    result['front-ample'] = await measure("front only, no store (web's sidecar)", baselineTarget('front', sale), () => baselineLeft('front', sale, ample));
  }
  for (const front of ['gateway', 'sidecar']) {
    const id = await newSale(soldOutUnits);
    result[`flash-${front}-out`] = await measure(`flash sale, ${soldOutUnits} units (${front === 'gateway' ? '/api/v1 gateway' : "web's sidecar"})`, flashTarget(front, id), () => flashLeft(id));
  }
  for (const store of ['pg', 'redis']) {
    const sale = `out-${store}-${Date.now()}`;
    await postJson(`${WEB_SIDECAR}/bench-baseline/method/setup`, { sale, quantity: soldOutUnits }, viaWeb);
    result[`${store}-out`] = await measure(`${baselineNames[store]}, ${soldOutUnits} units (web's sidecar)`, baselineTarget(store, sale), () => baselineLeft(store, sale, soldOutUnits));
  }

  const ratio = (a, b) => (b ? (a / b).toFixed(2) : '-');
  const fa = result['flash-sidecar-ample'];
  const ga = result['flash-gateway-ample'];
  console.log('\naccepted reservations per second, ample stock (targets: >= 3x PostgreSQL, >= 0.3x Redis Lua, same front):');
  console.log(`  flash sale / PostgreSQL UPDATE = ${ratio(fa.acceptedPerSecond, result['pg-ample'].acceptedPerSecond)}   (through the gateway: ${ratio(ga.acceptedPerSecond, result['pg-ample'].acceptedPerSecond)})`);
  console.log(`  flash sale / Redis Lua         = ${ratio(fa.acceptedPerSecond, result['redis-ample'].acceptedPerSecond)}   (through the gateway: ${ratio(ga.acceptedPerSecond, result['redis-ample'].acceptedPerSecond)})`);
  console.log(
    `  flash sale / PostgreSQL doing the flash sale's work (retried key, shopper's limit, hold row, stock; one transaction) = ${ratio(fa.acceptedPerSecond, result['pg-same-work-ample'].acceptedPerSecond)}   (through the gateway: ${ratio(ga.acceptedPerSecond, result['pg-same-work-ample'].acceptedPerSecond)})`,
  );
  const fr = result['front-ample'];
  console.log(`  front only (no store) / PostgreSQL UPDATE = ${ratio(fr.acceptedPerSecond, result['pg-ample'].acceptedPerSecond)}: the most any store behind this front can reach; flash sale = ${ratio(fa.acceptedPerSecond, fr.acceptedPerSecond)} of it`);
  console.log(`  holds per actor turn (one state write each): ${(fa.accepted / Math.max(1, fa.turns)).toFixed(1)} (sidecar run), ${(ga.accepted / Math.max(1, ga.turns)).toFixed(1)} (gateway run)`);
  console.log(`  mean turn, seen from the gate: ${fa.turnMs.toFixed(1)} ms (sidecar run), ${ga.turnMs.toFixed(1)} ms (gateway run)`);
  console.log('\nattempts per second once sold out:');
  for (const k of ['flash-gateway-out', 'flash-sidecar-out', 'pg-out', 'redis-out']) {
    const r = result[k];
    console.log(`  ${r.name.padEnd(52)} ${r.soldOut ? `${r.refusedPerSecond.toFixed(0)}/s, sold out after ${r.soldOutAt.toFixed(2)} s` : 'did not sell out in the run'}`);
  }
  for (const k of ['flash-gateway-out', 'flash-sidecar-out']) {
    const r = result[k];
    const all = r.cache + r.viaActor;
    console.log(`  ${k}: sold-out refusals answered without the actor: ${r.cache} of ${all} = ${all ? ((r.cache / all) * 100).toFixed(2) : '-'} % (target >= 99 %)`);
  }
  // where the time goes: CPU per request by process (2 cores = 2,000,000 µs per second of wall time)
  console.log('\nwhere the CPU went with ample stock, µs per request answered (accepted or refused), by process:');
  for (const k of ['flash-gateway-ample', 'flash-sidecar-ample', 'pg-ample', 'pg-same-work-ample', 'redis-ample', 'front-ample']) {
    const r = result[k];
    const { per, cores, top } = cpuPer(r.cpu, r.attempts, { scale: 1e6, top: 7 });
    console.log(`  ${r.name}: ${per(r.cpu.total)} µs in all, ${cores} % of one core; ${top}`);
  }
  console.log(`\noversell: ${oversold === 0 ? 'none in any run' : `${oversold} runs OVERSOLD`}`);
  const memory = platformMemoryMiB();
  console.log(`platform memory after the run: ${Math.round(memory.total)} MiB (${memory.rows.length} processes)`);
  if (oversold > 0) process.exitCode = 1;
} finally {
  await baseline?.stop();
  await platform.stop();
}
