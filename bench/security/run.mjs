#!/usr/bin/env node
// What Dapr's security costs (issue #12): the platform started twice in one
// run, with security (Sentry mTLS, access-control policies, API and app
// tokens) and without it (EMPORIUM_DAPR_SECURITY=off, the baseline), the
// catalog cache off so every request crosses a sidecar-to-sidecar hop.
// Prints idle memory per sidecar and for the control plane, and the latency
// of sequential requests over the hop (gateway -> web's sidecar -> catalog's
// sidecar -> catalog) and of one request without a hop (catalog's /healthz
// on its own port), so the difference is the hop's.
//
//   npm run bench:security [-- --requests 2000 --idle-seconds 20]
import { parseArgs } from 'node:util';
import { platformMemoryMiB, seedCatalog, startPlatform } from '../lib/platform.mjs';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '2000' }, 'idle-seconds': { type: 'string', default: '20' } } });
const n = Number(values.requests);
const idle = Number(values['idle-seconds']);
const GATEWAY = 'http://127.0.0.1:3000/api/v1';

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
async function latencies(url) {
  for (let i = 0; i < 100; i++) await (await fetch(url)).arrayBuffer(); // warm up
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50), p95: pct(ms, 95), p99: pct(ms, 99) };
}

const results = {};
for (const security of ['on', 'off']) {
  const platform = await startPlatform({ EMPORIUM_CACHE: 'off', ...(security === 'off' ? { EMPORIUM_DAPR_SECURITY: 'off' } : {}) });
  try {
    await new Promise((r) => setTimeout(r, idle * 1000));
    const { rows } = platformMemoryMiB();
    const sidecars = rows.filter((r) => /daprd/.test(r.what));
    const controlPlane = rows.filter((r) => /placement|scheduler|sentry/.test(r.what)).reduce((s, r) => s + r.mib, 0);
    const { productIds } = await seedCatalog(3);
    results[security] = {
      sidecarMiB: sidecars.reduce((s, r) => s + r.mib, 0) / sidecars.length,
      sidecars: sidecars.length,
      controlPlaneMiB: controlPlane,
      hop: await latencies(`${GATEWAY}/products/${productIds[0]}`),
      noHop: await latencies('http://127.0.0.1:3103/healthz'),
    };
  } finally {
    await platform.stop();
  }
}

const f = (v) => v.toFixed(2).padStart(8);
console.log(`${n} sequential requests each; idle ${idle} s before memory was read (ps rss)`);
console.log(`${''.padEnd(44)} ${'security on'.padStart(12)} ${'off'.padStart(10)} ${'cost'.padStart(10)}`);
const row = (label, on, off, unit) => console.log(`${label.padEnd(44)} ${f(on)}${unit.padStart(4)} ${f(off)}${unit.padStart(2)} ${f(on - off)}${unit.padStart(2)}`);
row('memory per sidecar (daprd), idle', results.on.sidecarMiB, results.off.sidecarMiB, 'MiB');
row('control plane (placement, scheduler, sentry)', results.on.controlPlaneMiB, results.off.controlPlaneMiB, 'MiB');
for (const p of ['p50', 'p95', 'p99']) row(`product detail through the gateway, ${p}`, results.on.hop[p], results.off.hop[p], 'ms');
row('catalog /healthz on its own port, p50', results.on.noHop.p50, results.off.noHop.p50, 'ms');
console.log(`added p50 per request for the sidecar-to-sidecar hop (gateway -> catalog): ${(results.on.hop.p50 - results.off.hop.p50).toFixed(2)} ms`);
