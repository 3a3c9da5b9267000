#!/usr/bin/env node
// npm run bench:hop — what one Dapr service-invocation hop adds over direct
// HTTP, measured alone: an echo app (node:http, 1 KB bodies) called
//   - directly (the baseline, in the same run, at the same rates);
//   - through two sidecars, as one service calls another: the caller's
//     sidecar, mTLS between sidecars, the callee's sidecar, the app; against
//     Dapr's published figure (1.06 ms added at p50, 1,000 req/s, 1 KB, mTLS,
//     tracing at 0.1);
//   - through the callee's own sidecar alone (no sidecar-to-sidecar leg);
// for each variant of what is ours to tune, every variant a fresh pair of
// sidecars with the platform's components, placement, scheduler and Sentry:
// the Configuration as the platform runs it (tracing every request, metrics
// on), tracing off, metrics with low cardinality, metrics off, both off. Open loop (no coordinated
// omission), keep-alive connections, CPU of the sidecars per 1,000 requests
// (Dapr publishes 0.48 vCPU for one sidecar at 1,000 req/s).
//   npm run bench:hop                               rates 200 and 500 req/s, 8 s each
//   BENCH_RATES=100,500 BENCH_SECONDS=10 npm run bench:hop
//   BENCH_JSON=out.json …                           also writes the figures as JSON (npm run bench)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLoop, postJson } from '../lib/load.mjs';
import { cpuSpent, platformCpu, root, startBenchApp, startPlatform } from '../lib/platform.mjs';

const rates = (process.env.BENCH_RATES ?? '200,500').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const PUBLISHED_P50_MS = 1.06;
const body = { payload: 'x'.repeat(1000) }; // about 1 KB, as Dapr's own test
const f = (v) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(2));
const signed = (v) => `${v >= 0 ? '+' : ''}${f(v)}`;

const variants = [
  { name: 'as the platform runs (components/config.yaml)', spec: {} },
  { name: 'tracing off (samplingRate 0)', spec: { tracing: { samplingRate: '0' } } },
  { name: 'metrics by route only (low cardinality)', spec: { metrics: { enabled: true, http: { increasedCardinality: false } } } },
  { name: 'metrics off', spec: { metrics: { enabled: false } } },
  { name: 'tracing and metrics off', spec: { tracing: { samplingRate: '0' }, metrics: { enabled: false } } },
].filter((_, i) => !process.env.BENCH_VARIANTS || process.env.BENCH_VARIANTS.split(',').includes(String(i)));

const platform = await startPlatform();
const started = [];
const results = [];
try {
  console.log(`open loop, ${seconds} s per path and rate, 1 KB bodies, keep-alive; ms added = path minus direct, same variant and rate\n`);
  console.log(`${'variant'.padEnd(46)} ${'path'.padEnd(22)} ${'rate'.padStart(5)} ${'ok/s'.padStart(6)} ${'err'.padStart(4)} ${'p50'.padStart(6)} ${'p90'.padStart(6)} ${'p99'.padStart(6)} ${'+p50'.padStart(6)} ${'+p99'.padStart(6)}  sidecar CPU`);
  for (const [v, variant] of variants.entries()) {
    const callee = await startBenchApp(platform, { appId: `bench-hop-${v}`, script: join(root, 'bench/hop/echo-app.mjs'), configSpec: variant.spec });
    const caller = await startBenchApp(platform, { appId: `bench-hop-${v}-caller`, script: join(root, 'bench/hop/echo-app.mjs'), configSpec: variant.spec });
    started.push(callee, caller);
    const paths = {
      direct: { url: `http://127.0.0.1:${callee.port}/echo`, headers: {} },
      'two sidecars (a hop)': { url: `http://127.0.0.1:${caller.sidecarHttp}/v1.0/invoke/bench-hop-${v}/method/echo`, headers: caller.viaOwn },
      "callee's sidecar only": { url: `http://127.0.0.1:${callee.sidecarHttp}/v1.0/invoke/bench-hop-${v}/method/echo`, headers: callee.viaOwn },
    };
    // until the caller's sidecar resolves the callee
    for (let i = 0; ; i++) {
      const r = await postJson(paths['two sidecars (a hop)'].url, body, paths['two sidecars (a hop)'].headers);
      if (r.status === 200) break;
      if (i > 100) throw new Error(`the echo app is not reachable through the caller's sidecar: ${r.status} ${JSON.stringify(r.body)}`);
      await new Promise((res) => setTimeout(res, 200));
    }
    for (const p of Object.values(paths)) await openLoop({ flow: async () => (await postJson(p.url, body, p.headers)).status === 200, rate: 200, seconds: 1 }); // warm-up
    for (const rate of rates) {
      let direct;
      for (const [name, p] of Object.entries(paths)) {
        const before = platformCpu();
        const r = await openLoop({ flow: async () => (await postJson(p.url, body, p.headers)).status === 200, rate, seconds });
        const cpu = cpuSpent(before, platformCpu());
        const sidecarCpu = cpu.rows.filter((x) => x.name.startsWith(`bench-hop-${v}`) && x.name.endsWith('(daprd)')).reduce((t, x) => t + x.seconds, 0);
        if (name === 'direct') direct = r;
        const row = { variant: variant.name, path: name, rate, ...r, addedP50: r.p50 - direct.p50, addedP99: r.p99 - direct.p99, sidecarCpuPer1000: (sidecarCpu / Math.max(1, r.ok)) * 1000 };
        results.push(row);
        const cpuText = name === 'direct' ? '' : `${((sidecarCpu / cpu.wallSeconds) * 100).toFixed(0)} % of a core, ${row.sidecarCpuPer1000.toFixed(2)} CPU-s per 1,000 requests`;
        console.log(
          `${variant.name.padEnd(46)} ${name.padEnd(22)} ${String(rate).padStart(5)} ${r.perSecond.toFixed(0).padStart(6)} ${String(r.failed + r.dropped).padStart(4)} ${f(r.p50).padStart(6)} ${f(r.p90).padStart(6)} ${f(r.p99).padStart(6)} ${(name === 'direct' ? '' : f(row.addedP50)).padStart(6)} ${(name === 'direct' ? '' : f(row.addedP99)).padStart(6)}  ${cpuText}`,
        );
      }
    }
    for (const s of started.splice(0)) await s.stop();
  }
  console.log(`\none hop (two sidecars) against direct, added p50 (goal <= ${PUBLISHED_P50_MS} ms, Dapr's published figure) and the two sidecars' CPU per 1,000 requests:`);
  for (const r of results.filter((x) => x.path === 'two sidecars (a hop)')) {
    console.log(`  ${String(r.rate).padStart(5)}/s  ${r.variant.padEnd(46)} ${signed(r.addedP50)} ms p50, ${signed(r.addedP99)} ms p99, ${r.sidecarCpuPer1000.toFixed(2)} CPU-s`);
  }
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ publishedP50Ms: PUBLISHED_P50_MS, rows: results }, null, 2));
} finally {
  for (const s of started) await s.stop();
  await platform.stop();
}
