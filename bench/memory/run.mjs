#!/usr/bin/env node
// Idle memory of the whole platform as `npm run dev` runs it: every app, its
// sidecar, placement, scheduler, sentry, web and the runner, after the platform has
// been up and idle for a while. Prints resident memory per process and per
// kind, against the budget of DESIGN.md (3 GiB).
//
//   npm run bench:memory [-- --idle-seconds 30]
import { parseArgs } from 'node:util';
import { platformMemoryMiB, startPlatform } from '../lib/platform.mjs';

const { values } = parseArgs({ options: { 'idle-seconds': { type: 'string', default: '30' } } });
const idle = Number(values['idle-seconds']);
const budgetMiB = 3 * 1024;

const platform = await startPlatform();
try {
  await new Promise((r) => setTimeout(r, idle * 1000));
  const { total, rows } = platformMemoryMiB();
  const kind = (what) =>
    /daprd/.test(what) ? 'sidecars (daprd)' : /placement|scheduler|sentry/.test(what) ? 'control plane (placement, scheduler, sentry)' : /next-server/.test(what) ? 'web (next-server)' : /dev\.mjs/.test(what) ? 'runner' : 'services (node)';
  const byKind = new Map();
  for (const r of rows) byKind.set(kind(r.what), (byKind.get(kind(r.what)) ?? 0) + r.mib);
  console.log(`idle ${idle} s after start; resident memory (ps rss):`);
  for (const r of rows.sort((a, b) => b.mib - a.mib)) console.log(`  ${r.mib.toFixed(0).padStart(6)} MiB  ${r.what}`);
  console.log('by kind:');
  for (const [k, v] of [...byKind.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${v.toFixed(0).padStart(6)} MiB  ${k}`);
  const services = rows.filter((r) => /dist\/main\.js/.test(r.what)).length;
  console.log(`total ${total.toFixed(0)} MiB for ${services} services + web; budget ${budgetMiB} MiB (${((100 * total) / budgetMiB).toFixed(0)} %)`);
} finally {
  await platform.stop();
}
