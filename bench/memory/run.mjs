#!/usr/bin/env node
// Idle memory of the whole platform as `npm run dev` runs it: every app with
// its sidecar, placement, scheduler, sentry and web, after the platform has
// been up and idle for a while; the infrastructure (PostgreSQL, RabbitMQ,
// Redis, …) and the runner beside it, never inside and never hidden. PSS per
// process (shared pages counted once), against the budgets of DESIGN.md and
// issue #13: each service with its sidecar at most 140 MiB, the platform
// under 3 GiB. Beside it, the CPU the platform spends at rest over the first
// idle window, per app with its sidecar, the control plane and the
// infrastructure (ms per second of wall time).
//
//   npm run bench:memory [-- --idle-seconds 60 --traffic-seconds 30]
// Idle is 60 s by default: a sidecar gives back its free heap and its
// binary's pages after two quiet 10 s windows following the last busy one
// (tools/dapr/cmd/daprd/heap_linux.go), up to 30 s after traffic ends, so a
// reading at 30 s caught most sidecars halfway (session 34: search 143 MiB
// with its sidecar at 30 s, 121 at 60; bench/memory/README.md).
// The second reading, after traffic that reaches every service and the same
// idle time, shows what a sidecar or a process takes back once it has worked:
// the figure at start alone would flatter anything dropped after startup.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openLoop } from '../lib/load.mjs';
import { cpuSpent, platformCpu, platformMemoryMiB, settle, startPlatform } from '../lib/platform.mjs';
import { API, prepareShoppers } from '../lib/shopper.mjs';

const { values } = parseArgs({ options: { 'idle-seconds': { type: 'string', default: '60' }, 'traffic-seconds': { type: 'string', default: '30' } } });
const idle = Number(values['idle-seconds']);
const trafficSeconds = Number(values['traffic-seconds']);
const budgetMiB = 3 * 1024;
const perServiceMiB = 140;
const f = (n) => n.toFixed(0).padStart(6);
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const sumOf = (rows, k) => rows.reduce((t, r) => t + r[k], 0);
/** RSS and PSS of each app's node process and sidecar, from one reading */
const perApp = (m) =>
  new Map(
    [...new Set(m.rows.filter((r) => r.app).map((r) => r.app))].sort().map((app) => {
      const node = m.rows.filter((r) => r.app === app && r.kind !== 'sidecar');
      const sidecar = m.rows.filter((r) => r.app === app && r.kind === 'sidecar');
      return [app, { node: sumOf(node, 'rss'), sidecar: sumOf(sidecar, 'rss'), rss: sumOf(node, 'rss') + sumOf(sidecar, 'rss'), pss: sumOf(node, 'mib') + sumOf(sidecar, 'mib'), anon: sumOf(node, 'anon') + sumOf(sidecar, 'anon') }];
    }),
  );

/**
 * Traffic that reaches every service: card checkouts paid at the provider and followed to PAID
 * (identity, cart's quote, marketing, inventory, order, payment, and the events that notification,
 * analytics, membership, search and logistics follow), product pages, a category page, searches.
 */
async function traffic(seconds) {
  const failures = new Map();
  const failed = (reason) => {
    failures.set(reason, (failures.get(reason) ?? 0) + 1);
    return false;
  };
  const shop = await prepareShoppers({ products: 3, buyers: 5, failed });
  const get = async (path) => {
    const res = await fetch(`${API}${path}`, { signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
    return res.status === 200 ? true : failed(`GET ${path.split('?')[0]} answered ${res.status}`);
  };
  const browse = (i) =>
    [
      () => get(`/products/${shop.seeded.productIds[i % shop.seeded.productIds.length]}`),
      () => get(`/products?category=${shop.seeded.categoryId}`),
      () => get(`/search?q=${encodeURIComponent(['bench', 'product', '中'][i % 3])}`),
    ][i % 3]();
  const [checkouts, reads] = await Promise.all([openLoop({ flow: shop.checkoutOnce, rate: 1, seconds }), openLoop({ flow: browse, rate: 10, seconds })]);
  const unfinished = await shop.leftUnfinished();
  return { checkouts, reads, unfinished, failures, browse };
}

/** Minor page faults of every sidecar so far (/proc/<pid>/stat, field 10): a page mapped again from the page cache. */
function sidecarMinorFaults() {
  let n = 0;
  for (const r of platformMemoryMiB().rows.filter((x) => x.kind === 'sidecar')) {
    try {
      const stat = readFileSync(`/proc/${r.pid}/stat`, 'utf8');
      n += Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
    } catch {
      // gone
    }
  }
  return n;
}

/**
 * What an idle spell costs the next requests: a sidecar idle after traffic has given back its
 * free heap and the pages of its binary (tools/dapr/cmd/daprd/heap_linux.go), which the first
 * requests after it map again. The same browsing (product, category and search pages at 10/s
 * for 3 s) right after the idle reading ("waking") and again at once ("warm"), with the
 * sidecars' minor faults in each.
 */
async function waking(browse) {
  const phases = [];
  for (const name of ['waking (after the idle reading)', 'warm (at once after it)']) {
    const faults = sidecarMinorFaults();
    const r = await openLoop({ flow: browse, rate: 10, seconds: 3 });
    phases.push({ name, ...r, faults: sidecarMinorFaults() - faults });
  }
  return phases;
}

/**
 * CPU at rest: what the platform spends with nothing to do (timers, health checks, leases,
 * heartbeats to placement and scheduler), per app with its sidecar, the control plane and the
 * infrastructure, in ms per second of wall time (2 cores = 2,000). Measured over the first idle
 * window once the start's work has settled.
 */
function printRest(spent) {
  const per = (s) => (s * 1000) / spent.wallSeconds;
  const apps = new Map();
  for (const r of spent.rows.filter((x) => x.app)) {
    const x = apps.get(r.app) ?? { node: 0, sidecar: 0 };
    x[r.kind === 'sidecar' ? 'sidecar' : 'node'] += r.seconds;
    apps.set(r.app, x);
  }
  const platformRows = spent.rows.filter((r) => r.kind === 'control plane');
  const beside = spent.rows.filter((r) => r.kind === 'infrastructure' || r.kind === 'runner');
  const platformTotal = [...apps.values()].reduce((t, x) => t + x.node + x.sidecar, 0) + platformRows.reduce((t, r) => t + r.seconds, 0);
  console.log(`\nCPU at rest over ${spent.wallSeconds.toFixed(0)} s, ms per second (2 cores = 2,000): the platform ${per(platformTotal).toFixed(0)}; per app, node + sidecar:`);
  for (const [app, x] of [...apps].sort((a, b) => b[1].node + b[1].sidecar - (a[1].node + a[1].sidecar))) {
    console.log(`  ${app.padEnd(14)} ${per(x.node).toFixed(1).padStart(6)} + ${per(x.sidecar).toFixed(1).padStart(5)}`);
  }
  console.log(`  ${platformRows.map((r) => `${r.name} ${per(r.seconds).toFixed(1)}`).join(', ')}`);
  console.log(`  beside it: ${beside.map((r) => `${r.name.replace(/ \(npm run dev.*$/, '')} ${per(r.seconds).toFixed(1)}`).join(', ')}`);
}

const platform = await startPlatform();
try {
  // the start's own work (seeding, search indexes, sidecars' first pages) done, the window at rest
  await settle();
  const restBefore = platformCpu();
  await sleep(idle * 1000);
  const rest = cpuSpent(restBefore, platformCpu());
  const first = platformMemoryMiB();
  let after;
  let load;
  let woken;
  if (trafficSeconds > 0) {
    load = await traffic(trafficSeconds);
    await sleep(idle * 1000);
    after = platformMemoryMiB();
    woken = await waking(load.browse);
  }
  const m = after ?? first;
  const a = perApp(first);
  const b = after ? perApp(after) : undefined;
  console.log(`MiB: RSS (each process alone) and PSS (shared pages counted once); idle ${idle} s after start${b ? `, and idle ${idle} s after ${trafficSeconds} s of traffic` : ''}\n`);
  if (load) {
    console.log(
      `traffic: ${load.checkouts.ok} card checkouts paid of ${trafficSeconds} (1/s), ${load.reads.ok} product, category and search pages of ${trafficSeconds * 10} (10/s), ${load.unfinished} left unfinished` +
        (load.failures.size ? `; ${[...load.failures].map(([k, n]) => `${n}× ${k}`).join('; ')}` : '') +
        '\n',
    );
  }
  console.log(`${'app'.padEnd(14)}  ${'at start: node'.padStart(14)} sidecar together${b ? '   after traffic: node sidecar together' : ''}   PSS   anon   (at most ${perServiceMiB} RSS)`);
  let over = 0;
  for (const [app, x] of a) {
    const y = b?.get(app);
    const worst = Math.max(x.rss, y?.rss ?? 0);
    const ok = worst <= perServiceMiB;
    if (!ok && app !== 'web') over++;
    const verdict = app === 'web' ? '(web)' : ok ? 'ok' : 'over';
    console.log(
      `${app.padEnd(14)}  ${f(x.node).padStart(14)} ${f(x.sidecar).padStart(7)} ${f(x.rss).padStart(8)}` +
        (y ? `   ${f(y.node).padStart(19)} ${f(y.sidecar).padStart(7)} ${f(y.rss).padStart(8)}` : '') +
        `  ${f((y ?? x).pss)} ${f((y ?? x).anon)}   ${verdict}`,
    );
  }
  console.log(
    `\nPSS and anon: the ${b ? 'second' : 'only'} reading, node and sidecar together. anon is each process's own memory (heap, stacks);\n` +
      'the rest of RSS is pages of files (the node and daprd binaries, libraries), which the page cache holds once for every\n' +
      "process mapping them: how many of them a process maps after a fault depends on the page cache's state (folio sizes,\n" +
      'what was evicted), so RSS moves between runs of the same code where anon does not',
  );
  console.log('\ncontrol plane:');
  for (const r of m.rows.filter((x) => x.kind === 'control plane')) console.log(`  ${f(r.rss)} RSS ${f(r.mib)} PSS  ${r.what}`);
  for (const [when, x] of [['at start', first], ...(after ? [['after traffic', after]] : [])]) {
    console.log(`\nplatform total ${when}: PSS ${x.total.toFixed(0)} MiB (what this machine spends), RSS ${x.totalRss.toFixed(0)} MiB (each process alone); ${x.rows.length} processes; RSS is ${((100 * x.totalRss) / budgetMiB).toFixed(0)} % of ${budgetMiB} MiB`);
  }
  console.log(`services over ${perServiceMiB} MiB RSS with their sidecar${after ? ' (at start or after traffic)' : ''}: ${over} of ${a.size - 1}`);
  if (woken) {
    console.log('\nthe pages given back, mapped again: the same browsing at 10/s for 3 s (ms from when each request was due; minor faults of all sidecars)');
    for (const w of woken) console.log(`  ${w.name.padEnd(34)} ${String(w.ok).padStart(3)} ok ${String(w.failed).padStart(2)} failed  p50 ${w.p50.toFixed(1).padStart(6)}  p95 ${w.p95.toFixed(1).padStart(6)}  p99 ${w.p99.toFixed(1).padStart(6)}  faults ${String(w.faults).padStart(7)}`);
  }
  printRest(rest);
  console.log(`runner (npm run dev, dev tooling only) ${m.runner.toFixed(0)} MiB`);
  console.log(`infrastructure beside it: PSS ${m.infrastructure.total.toFixed(0)} MiB (${m.infrastructure.rows.length} processes):`);
  const byName = new Map();
  for (const r of m.infrastructure.rows) {
    const name = /postgres/.test(r.what) ? 'PostgreSQL' : /beam|epmd|erl_child|inet_gethost/.test(r.what) ? 'RabbitMQ' : /redis/.test(r.what) ? 'Redis' : /nats/.test(r.what) ? 'NATS' : /mosquitto/.test(r.what) ? 'Mosquitto' : /mariadb/.test(r.what) ? 'MariaDB' : r.what;
    byName.set(name, (byName.get(name) ?? 0) + r.mib);
  }
  for (const [name, mib] of [...byName.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${f(mib)}  ${name}`);
} finally {
  await platform.stop();
}
