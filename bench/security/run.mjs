#!/usr/bin/env node
// What Dapr's security costs (issue #12): the platform started several times
// in one run, alternating with security (Sentry mTLS, access-control
// policies, API and app tokens) and without it (EMPORIUM_DAPR_SECURITY=off,
// the baseline), each start on a fresh database (namespace bench). Each
// start measures idle memory per sidecar and for the control plane, and the
// hop alone: catalog's GET /categories invoked through web's sidecar (web's
// sidecar -> catalog's sidecar -> catalog) against the same request sent to
// catalog's own port (with its app token when security is on). The hop's
// cost is their difference; mTLS's cost per hop is the hop's cost with
// security less the hop's cost without, medians over the rounds.
//
//   npm run bench:security [-- --rounds 3 --requests 2000 --idle-seconds 20]
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformMemoryMiB, root, seedCatalog, startPlatform } from '../lib/platform.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, requests: { type: 'string', default: '2000' }, 'idle-seconds': { type: 'string', default: '20' } } });
const rounds = Number(values.rounds);
const n = Number(values.requests);
const idle = Number(values['idle-seconds']);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Sequential requests; the two targets interleave so both meet the same moment of the machine. */
async function latencies(targets) {
  for (const t of targets) for (let i = 0; i < 100; i++) await (await fetch(t.url, { headers: t.headers })).arrayBuffer(); // warm up
  const ms = targets.map(() => []);
  for (let i = 0; i < n; i++) {
    for (const [k, t] of targets.entries()) {
      const started = process.hrtime.bigint();
      const res = await fetch(t.url, { headers: t.headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${t.url}: ${res.status}`);
      ms[k].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return ms.map((m) => {
    m.sort((a, b) => a - b);
    return { p50: pct(m, 50), p95: pct(m, 95), p99: pct(m, 99) };
  });
}

const runs = [];
for (let round = 0; round < rounds; round++) {
  for (const security of ['on', 'off']) {
    const platform = await startPlatform({ EMPORIUM_CACHE: 'off', ...(security === 'off' ? { EMPORIUM_DAPR_SECURITY: 'off' } : {}) });
    try {
      await new Promise((r) => setTimeout(r, idle * 1000));
      const { rows } = platformMemoryMiB();
      const sidecars = rows.filter((r) => /daprd/.test(r.what));
      const controlPlane = rows.filter((r) => /placement|scheduler|sentry/.test(r.what)).reduce((s, r) => s + r.mib, 0);
      await seedCatalog(1);
      const tokens = security === 'on' ? JSON.parse(readFileSync(join(root, '.emporium', 'dapr-tokens.json'), 'utf8')) : {};
      const [viaSidecar, direct] = await latencies([
        { url: 'http://127.0.0.1:3500/v1.0/invoke/catalog/method/categories', headers: tokens.web ? { 'dapr-api-token': tokens.web.dapr } : {} },
        { url: 'http://127.0.0.1:3103/categories', headers: tokens.catalog ? { 'dapr-api-token': tokens.catalog.app } : {} },
      ]);
      const run = { round, security, sidecarMiB: sidecars.reduce((s, r) => s + r.mib, 0) / sidecars.length, sidecars: sidecars.length, controlPlaneMiB: controlPlane, viaSidecar, direct, hop: viaSidecar.p50 - direct.p50 };
      runs.push(run);
      console.log(JSON.stringify(run));
    } finally {
      await platform.stop();
    }
  }
}

const of = (security, pick) => median(runs.filter((r) => r.security === security).map(pick));
const f = (v) => v.toFixed(2).padStart(8);
console.log(`\n${rounds} rounds alternating on/off; ${n} sequential requests per target per start; idle ${idle} s before memory was read (ps rss); medians over rounds`);
console.log(`${''.padEnd(52)} ${'security on'.padStart(12)} ${'off'.padStart(10)} ${'cost'.padStart(10)}`);
const row = (label, pick, unit) => {
  const on = of('on', pick);
  const off = of('off', pick);
  console.log(`${label.padEnd(52)} ${f(on)}${unit.padStart(4)} ${f(off)}${unit.padStart(2)} ${f(on - off)}${unit.padStart(2)}`);
};
row('memory per sidecar (daprd), idle', (r) => r.sidecarMiB, 'MiB');
row('control plane (placement, scheduler, sentry)', (r) => r.controlPlaneMiB, 'MiB');
row("GET /categories through web's sidecar, p50", (r) => r.viaSidecar.p50, 'ms');
row("GET /categories through web's sidecar, p95", (r) => r.viaSidecar.p95, 'ms');
row("GET /categories on catalog's port, p50 (no hop)", (r) => r.direct.p50, 'ms');
row('the hop alone (through the sidecars less direct), p50', (r) => r.hop, 'ms');
console.log(`per round, the hop alone (p50): on ${runs.filter((r) => r.security === 'on').map((r) => r.hop.toFixed(2)).join(', ')} ms; off ${runs.filter((r) => r.security === 'off').map((r) => r.hop.toFixed(2)).join(', ')} ms`);
