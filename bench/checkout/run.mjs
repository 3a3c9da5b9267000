#!/usr/bin/env node
// npm run bench:checkout — completed checkouts per second and latency from the
// checkout call to the order being PAID, at fixed arrival rates, through the
// /api/v1 gateway, with the provider simulator answering at once. In the same
// run and at the same rates:
//   - the baseline: the quote alone (POST /quote, the first hop of every checkout);
//   - the floor: an empty workflow of the checkout's shape (three activities,
//     an external event raced against a timer, one more activity) on the same
//     runtime, reached through web's sidecar (floor-app.mjs);
// then, at twice the sustainable rate (the highest rate whose checkouts all
// completed), what admission control leaves: completed/s against the
// sustainable rate, how many were refused at the door (503 + Retry-After),
// and whether any admitted checkout was left unfinished. Prints where the CPU
// went (per process, per completed checkout) and the platform's memory. A
// client follows its order as the API offers: GET with its ETag and
// `Prefer: wait=10`, one request per change (the floor's client the same).
//   npm run bench:checkout                          rates 5, 10 and 20 checkouts/s, 15 s each (then 2x the sustainable)
//   BENCH_RATES=5,50 BENCH_SECONDS=20 npm run bench:checkout
//   BENCH_JSON=out.json …                           also writes the figures as JSON (npm run bench)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLoop, postJson } from '../lib/load.mjs';
import { cpuPer, cpuSpent, platformCpu, platformMemoryMiB, root, settle, startBenchApp, startPlatform } from '../lib/platform.mjs';
import { API, prepareShoppers } from '../lib/shopper.mjs';

const rates = (process.env.BENCH_RATES ?? '5,10,20').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const FLOOR = 'http://127.0.0.1:3500/v1.0/invoke/bench-floor/method/floor';
const ms = (v) => (v === undefined || Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(1) : Math.round(v).toString());

const platform = await startPlatform();
let floor;
try {
  /** why checkouts failed, per scenario */
  let why = new Map();
  const failed = (reason) => {
    why.set(reason, (why.get(reason) ?? 0) + 1);
    return false;
  };
  const { post, checkoutOnce, leftUnfinished, skus, buyers } = await prepareShoppers({ products: 1, buyers: 20, failed });
  floor = await startBenchApp(platform, { appId: 'bench-floor', script: join(root, 'bench/checkout/floor-app.mjs') });
  const started = await fetch(`http://127.0.0.1:${floor.port}/start`, { method: 'POST' });
  if (started.status !== 204) throw new Error(`the floor's workflow worker did not start: ${started.status}`);

  async function quoteOnce(i) {
    const res = await post(`${API}/quote`, buyers[i % buyers.length], { lines: [{ skuId: skus[i % skus.length], quantity: 1 }] });
    await res.arrayBuffer();
    return res.status === 200 ? true : failed(`quote answered ${res.status}`);
  }
  /** The same client against the empty workflow: start (answered after the third activity), raise the event, wait for the end (long poll). */
  async function floorOnce() {
    const res = await postJson(FLOOR, {}, floor.viaWeb, 30_000);
    if (res.status !== 202) return failed(`floor answered ${res.status}`);
    const { id } = res.body;
    const paid = await postJson(`${FLOOR}/${id}/paid`, {}, floor.viaWeb, 30_000);
    if (paid.status !== 202) return failed(`floor event answered ${paid.status}`);
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      const o = await (await fetch(`${FLOOR}/${id}`, { headers: { ...floor.viaWeb, prefer: 'wait=10' }, signal: AbortSignal.timeout(20_000) })).json();
      if (o.status === 'paid') return true;
    }
    return failed('floor not done within 30 s');
  }

  const rows = [];
  console.log(`open loop, ${seconds} s per rate; checkout = POST /checkout, pay at the provider, follow the order (long poll) until PAID; floor = the same client against an empty workflow of the same shape\n`);
  console.log(`${'scenario'.padEnd(30)} ${'offered/s'.padStart(9)} ${'done/s'.padStart(7)} ${'refused'.padStart(7)} ${'failed'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  const measure = async (scenario, flow, rate) => {
    why = new Map();
    const before = platformCpu();
    const r = await openLoop({ flow, rate, seconds });
    const cpu = cpuSpent(before, platformCpu());
    const row = { scenario, ...r, why: Object.fromEntries(why), cpu };
    rows.push(row);
    console.log(
      `${scenario.padEnd(30)} ${String(r.offered).padStart(9)} ${r.perSecond.toFixed(1).padStart(7)} ${String(r.refused).padStart(7)} ${String(r.failed).padStart(6)} ${ms(r.p50).padStart(8)} ${ms(r.p95).padStart(8)} ${ms(r.p99).padStart(8)}` +
        (why.size ? `   ${[...why].map(([k, n]) => `${n}× ${k}`).join('; ')}` : ''),
    );
    return row;
  };
  await openLoop({ flow: quoteOnce, rate: 5, seconds }); // warm-up
  await openLoop({ flow: checkoutOnce, rate: 2, seconds });
  await openLoop({ flow: floorOnce, rate: 2, seconds });
  await leftUnfinished();
  // the platform at rest (34 processes, each with timers, health checks and renewals): what a
  // scenario's CPU would have been without a single checkout, subtracted for the marginal figure
  await settle();
  const idleBefore = platformCpu();
  await new Promise((r) => setTimeout(r, 10_000));
  const idle = cpuSpent(idleBefore, platformCpu());
  const idlePerSecond = idle.total / idle.wallSeconds;
  const pairs = [];
  for (const rate of rates) {
    await measure('baseline: quote only', quoteOnce, rate);
    const f = await measure('floor: empty workflow', floorOnce, rate);
    const c = await measure('checkout to PAID', checkoutOnce, rate);
    c.unfinished = await leftUnfinished();
    pairs.push({ rate, checkout: c, floor: f });
  }

  // sustainable: the highest offered rate whose checkouts all completed (none refused or failed)
  const clean = pairs.filter((p) => p.checkout.failed === 0 && p.checkout.refused === 0 && p.checkout.dropped === 0);
  const sustainable = clean.length ? clean.reduce((a, b) => (b.checkout.perSecond > a.checkout.perSecond ? b : a)).checkout.perSecond : undefined;
  let overload;
  if (sustainable) {
    const rate = Math.max(1, Math.round(sustainable * 2));
    overload = await measure('checkout at 2x sustainable', checkoutOnce, rate);
    overload.unfinished = await leftUnfinished();
    overload.sustainable = sustainable;
  }

  console.log('\ncheckout as a share of the floor (completed per second, same rate):');
  for (const p of pairs) {
    console.log(`  ${String(p.rate).padStart(3)}/s offered: ${p.checkout.perSecond.toFixed(1)} / ${p.floor.perSecond.toFixed(1)} = ${((p.checkout.perSecond / Math.max(0.01, p.floor.perSecond)) * 100).toFixed(0)} % (goal >= 60 %); admitted and left unfinished: ${p.checkout.unfinished}`);
  }
  if (overload) {
    console.log(
      `\nat twice the sustainable rate (${overload.offered}/s offered, sustainable ${sustainable.toFixed(1)}/s): ${overload.perSecond.toFixed(1)} completed/s = ${((overload.perSecond / sustainable) * 100).toFixed(0)} % of sustainable (goal >= 90 %), ` +
        `${overload.refused} refused at the door, ${overload.failed} admitted and failed, ${overload.unfinished} admitted and left unfinished`,
    );
  } else console.log('\nno rate had every checkout complete: no sustainable rate to double (try lower BENCH_RATES)');

  console.log(
    `\nwhere the CPU went, ms per completed checkout (2 cores = 2,000 ms per second of wall time); the platform at rest used ${Math.round(idlePerSecond * 1000)} ms a second ` +
      `(${idle.rows.slice(0, 4).map((x) => `${x.name} ${Math.round((x.seconds / idle.wallSeconds) * 1000)}`).join(', ')}), and "beyond rest" is each scenario's CPU less that:`,
  );
  for (const { rate, checkout, floor: fl } of pairs) {
    for (const [name, r] of [['checkout', checkout], ['floor', fl]]) {
      const { per, cores, top } = cpuPer(r.cpu, r.ok, { scale: 1000 });
      const beyondRest = Math.max(0, r.cpu.total - idlePerSecond * r.cpu.wallSeconds);
      console.log(`  ${name} at ${rate}/s: ${per(r.cpu.total)} ms in all (${per(beyondRest)} beyond rest), ${cores} % of one core; ${top}`);
    }
  }
  const memory = platformMemoryMiB();
  console.log(`\nplatform memory after the run: ${Math.round(memory.total)} MiB (${memory.rows.length} processes)`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ rows, sustainable, overload, idle: { perSecond: idlePerSecond, rows: idle.rows, wallSeconds: idle.wallSeconds }, memory: { total: memory.total } }, null, 2));
} finally {
  await floor?.stop();
  await platform.stop();
}
