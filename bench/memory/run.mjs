#!/usr/bin/env node
// Idle memory of the whole platform as `npm run dev` runs it: every app with
// its sidecar, placement, scheduler, sentry and web, after the platform has
// been up and idle for a while; the infrastructure (PostgreSQL, RabbitMQ,
// Redis, …) and the runner beside it, never inside and never hidden. PSS per
// process (shared pages counted once), against the budgets of DESIGN.md and
// issue #13: each service with its sidecar at most 140 MiB, the platform
// under 3 GiB.
//
//   npm run bench:memory [-- --idle-seconds 30]
import { parseArgs } from 'node:util';
import { platformMemoryMiB, startPlatform } from '../lib/platform.mjs';

const { values } = parseArgs({ options: { 'idle-seconds': { type: 'string', default: '30' } } });
const idle = Number(values['idle-seconds']);
const budgetMiB = 3 * 1024;
const perServiceMiB = 140;
const f = (n) => n.toFixed(0).padStart(6);

const platform = await startPlatform();
try {
  await new Promise((r) => setTimeout(r, idle * 1000));
  const m = platformMemoryMiB();
  console.log(`idle ${idle} s after start; MiB: RSS (each process alone) and PSS (shared pages counted once)\n`);
  const apps = [...new Set(m.rows.filter((r) => r.app).map((r) => r.app))].sort();
  const sumOf = (rows, k) => rows.reduce((t, r) => t + r[k], 0);
  console.log(`${'app'.padEnd(14)}  node RSS  sidecar RSS  together RSS (at most ${perServiceMiB})   together PSS`);
  let over = 0;
  for (const app of apps) {
    const node = m.rows.filter((r) => r.app === app && r.kind !== 'sidecar');
    const sidecar = m.rows.filter((r) => r.app === app && r.kind === 'sidecar');
    const rss = sumOf(node, 'rss') + sumOf(sidecar, 'rss');
    const ok = rss <= perServiceMiB;
    if (!ok && app !== 'web') over++;
    const verdict = app === 'web' ? '(web)' : ok ? 'ok' : 'over';
    console.log(`${app.padEnd(14)}  ${f(sumOf(node, 'rss'))}    ${f(sumOf(sidecar, 'rss'))}       ${f(rss)} ${verdict.padEnd(6)}                ${f(sumOf(node, 'mib') + sumOf(sidecar, 'mib'))}`);
  }
  console.log('\ncontrol plane:');
  for (const r of m.rows.filter((x) => x.kind === 'control plane')) console.log(`  ${f(r.rss)} RSS ${f(r.mib)} PSS  ${r.what}`);
  console.log(`\nplatform total: PSS ${m.total.toFixed(0)} MiB (what this machine spends), RSS ${m.totalRss.toFixed(0)} MiB (each process alone); ${m.rows.length} processes; RSS is ${((100 * m.totalRss) / budgetMiB).toFixed(0)} % of ${budgetMiB} MiB`);
  console.log(`services over ${perServiceMiB} MiB RSS with their sidecar: ${over} of ${apps.length - 1}`);
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
