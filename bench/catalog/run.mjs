#!/usr/bin/env node
// npm run bench:catalog — product detail and browse at fixed arrival rates,
// cached and uncached, through the /api/v1 gateway and straight to catalog,
// beside a bare Express endpoint serving the same body, all in one run.
// Prints one table and the platform's idle memory. Loopback only; every load
// step is bounded in count and time.
//   npm run bench:catalog                     rates 200 and 1000 req/s, 8 s each
//   BENCH_RATES=100,500 BENCH_SECONDS=5 npm run bench:catalog
//   BENCH_JSON=out.json …                     also writes the figures as JSON (npm run bench)
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, header, loadAt, maxThroughput } from '../lib/load.mjs';
import { platformMemoryMiB, QUIET_CORES, root, seedCatalog, settle, startPlatform } from '../lib/platform.mjs';

const rates = (process.env.BENCH_RATES ?? '200,1000').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const GATEWAY = 'http://127.0.0.1:3000/api/v1';
const CATALOG = 'http://127.0.0.1:3103';
/** the same request through web's own sidecar (service invocation), as the gateway sends it: the gateway's floor */
const SIDECAR = 'http://127.0.0.1:3500/v1.0/invoke/catalog/method';
const BARE_PORT = 3999;

const results = [];
const capacity = {};
/** catalog's own port answers only what carries its app token (Dapr's security is on, as in production). */
let direct = {};
let viaSidecar = {};
/** A request that asks past the gateway's cache (Cache-Control: no-cache), so it reaches catalog each time. */
const PAST = '#past-the-front-door-cache';
const headersFor = (url) => (url.startsWith(CATALOG) ? direct : url.startsWith(SIDECAR) ? viaSidecar : url.endsWith(PAST) ? { 'cache-control': 'no-cache' } : {});
const urlOf = (url) => (url.endsWith(PAST) ? url.slice(0, -PAST.length) : url);
async function measureMax(name, url) {
  const r = await maxThroughput({ url: urlOf(url), connections: 64, seconds: 5, headers: headersFor(url) });
  capacity[name] = r.perSecond;
  console.log(`${name.padEnd(34)} most it serves: ${r.perSecond} req/s (64 connections, closed loop, ${r.errors} errors)`);
}
async function measure(name, url) {
  // a short warm-up so connection set-up and JIT are not measured
  await loadAt({ url: urlOf(url), rate: 50, seconds: 1, headers: headersFor(url) });
  for (const rate of rates) {
    const r = await loadAt({ url: urlOf(url), rate, seconds, headers: headersFor(url) });
    results.push({ name, ...r });
    console.log(`${name.padEnd(34)} ${fmt(r)}`);
  }
}

console.log(`rates ${rates.join(', ')} req/s, ${seconds} s each; open loop, latency from the due time\n`);
console.log(`${'scenario'.padEnd(34)} ${header}`);

let memory;
for (const cache of ['on', 'off']) {
  // cache off: neither catalog's Redis cache nor the gateway's (every request reaches catalog's database)
  const platform = await startPlatform(cache === 'on' ? { EMPORIUM_CACHE: 'on' } : { EMPORIUM_CACHE: 'off', GATEWAY_CACHE_MAX_SECONDS: '0' });
  try {
    const tokens = JSON.parse(readFileSync(join(root, '.emporium', 'dapr-tokens.json'), 'utf8'));
    direct = { 'dapr-api-token': tokens.catalog.app };
    viaSidecar = { 'dapr-api-token': tokens.web.dapr };
    const { productIds, categoryId } = await seedCatalog(cache === 'on' ? 40 : 5);
    const id = productIds[0];
    // the platform's work after seeding (search indexing, analytics, the sidecars' startup release) is not measured
    const busy = await settle();
    if (busy >= QUIET_CORES) console.log(`(the platform still used ${busy.toFixed(2)} of a core after 60 s; measuring anyway)`);
    if (cache === 'on') {
      await new Promise((r) => setTimeout(r, 3000)); // let the platform settle before reading idle memory
      memory = platformMemoryMiB();
      const body = await (await fetch(`${CATALOG}/products/${id}`, { headers: direct })).text();
      const file = join(tmpdir(), 'emporium-bench-product.json');
      writeFileSync(file, body);
      const bare = spawn(process.execPath, [join(root, 'bench/lib/bare-express.mjs'), String(BARE_PORT), file], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((r) => bare.stdout.once('data', r));
      await measure('baseline: bare Express, same body', `http://127.0.0.1:${BARE_PORT}/products/${id}`);
      await measureMax('baseline: bare Express, same body', `http://127.0.0.1:${BARE_PORT}/products/${id}`);
      bare.kill();
    }
    await measure(`detail, cache ${cache}, gateway`, `${GATEWAY}/products/${id}`);
    if (cache === 'on') await measure('detail, cache on, gateway, no-cache', `${GATEWAY}/products/${id}${PAST}`);
    if (cache === 'on') await measure('detail, cache on, web sidecar', `${SIDECAR}/products/${id}`);
    await measure(`detail, cache ${cache}, catalog direct`, `${CATALOG}/products/${id}`);
    if (cache === 'on') {
      await measureMax('detail, cache on, gateway', `${GATEWAY}/products/${id}`);
      await measureMax('detail, cache on, gateway, no-cache', `${GATEWAY}/products/${id}${PAST}`);
      await measureMax('detail, cache on, web sidecar', `${SIDECAR}/products/${id}`);
      await measureMax('detail, cache on, catalog direct', `${CATALOG}/products/${id}`);
    }
    if (cache === 'on') {
      await measure('browse 20, gateway', `${GATEWAY}/products?category=${categoryId}&limit=20`);
      await measure('browse 20, catalog direct', `${CATALOG}/products?category=${categoryId}&limit=20`);
    }
  } finally {
    await platform.stop();
  }
}

console.log(`\nidle memory of the whole platform: ${memory.total.toFixed(0)} MiB`);
for (const row of memory.rows) console.log(`  ${row.mib.toFixed(0).padStart(5)} MiB  ${row.what}`);
const bareMax = capacity['baseline: bare Express, same body'];
const gwMax = capacity['detail, cache on, gateway'];
const directMax = capacity['detail, cache on, catalog direct'];
const sidecarMax = capacity['detail, cache on, web sidecar'];
const gw1000 = results.find((r) => r.name === 'detail, cache on, gateway' && r.offered === 1000);
const past1000 = results.find((r) => r.name === 'detail, cache on, gateway, no-cache' && r.offered === 1000);
const pastMax = capacity['detail, cache on, gateway, no-cache'];
console.log("\ntargets (DESIGN.md, issue #13): product detail through the gateway p95 <= 50 ms at 1,000 req/s, >= 30 % of a bare Express endpoint's throughput and >= 70 % of the same request through web's sidecar");
if (gw1000) console.log(`  p95 at 1,000 req/s offered: ${gw1000.p95.toFixed(1)} ms (achieved ${gw1000.achieved} req/s); past the gateway's cache ${past1000 ? `${past1000.p95.toFixed(1)} ms (achieved ${past1000.achieved} req/s)` : 'not measured'}`);
if (bareMax && gwMax) console.log(`  most throughput: gateway ${gwMax} req/s = ${((gwMax / bareMax) * 100).toFixed(0)} % of bare Express ${bareMax} and ${((gwMax / sidecarMax) * 100).toFixed(0)} % of web's sidecar ${sidecarMax}; catalog direct ${directMax} = ${((directMax / bareMax) * 100).toFixed(0)} %`);
if (bareMax && pastMax) console.log(`  past the gateway's cache (every request to catalog): ${pastMax} req/s = ${((pastMax / bareMax) * 100).toFixed(0)} % of bare Express and ${((pastMax / sidecarMax) * 100).toFixed(0)} % of web's sidecar`);
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ rows: results, capacity, memory: { total: memory.total } }, null, 2));
