#!/usr/bin/env node
// npm run bench:search — the search service (issue #15) beside a plain ILIKE baseline, in one run.
//
// Starts the whole platform (namespace bench, fresh), makes BENCH_PRODUCTS (10000) products of the
// demo catalogue's generator (scripts/seed/catalogue.mjs: eight top-level categories, six shops)
// through /api/v1 as merchants would, and waits until search has indexed every one. Then:
//   relevance: every query of the judged set (queries.mjs: Chinese words and phrases, English,
//              pinyin, initials, typos, traditional characters, filters) asked of
//              search:   GET /api/v1/search?q=…&limit=10 (the front door: gateway, web's sidecar, search's)
//              baseline: SELECT … FROM search.documents WHERE name ILIKE '%q%' (both languages, the same
//                        filters) LIMIT 10, in PostgreSQL directly — the plain LIKE search a shop starts with
//              nDCG@10 and recall@10 (of what ten answers could hold), by group and over all
//   latency:   each of BENCH_RATES (100,200) queries a second for BENCH_SECONDS (20), open loop, the judged queries
//              in turn: search through /api/v1 twice, as they come (head: answers kept a moment are given again)
//              and each made one of a kind (tail: every answer counted afresh), and the baseline through a pool
//              of 10 connections (no HTTP at all: a floor, not a peer); the CPU each process spent per query
// Memory of search with its sidecar and of the platform is printed after. BENCH_JSON=<file> keeps the numbers.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CATEGORIES, SHOPS, generateProducts, random } from '../../scripts/seed/catalogue.mjs';
import { openLoop } from '../lib/load.mjs';
import { api, cpuSpent, platformCpu, platformMemoryMiB, refreshUntilRole, root, runningEndpoints, startPlatform } from '../lib/platform.mjs';
import { QUERIES, ndcg, recall } from './queries.mjs';

const count = Number(process.env.BENCH_PRODUCTS ?? 10_000);
const rates = (process.env.BENCH_RATES ?? '100,200').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const API = 'http://127.0.0.1:3000/api/v1';
const { Pool } = createRequire(join(root, 'package.json'))('pg');
const ms = (v) => (v === undefined || Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(1) : Math.round(v).toString());
const t = (zh, en) => ({ 'zh-CN': zh, en });

async function pool(items, width, fn, onDone = () => {}) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
        onDone();
      }
    }),
  );
}

function bar(label, total) {
  let done = 0;
  const started = Date.now();
  return () => {
    done++;
    if (done % Math.max(1, Math.floor(total / 20)) === 0 || done === total) {
      process.stdout.write(`\r  ${label} ${String(done).padStart(6)}/${total} (${((Date.now() - started) / 1000).toFixed(0)} s)${done === total ? '\n' : ''}`);
    }
  };
}

const platform = await startPlatform();
try {
  const run = Date.now().toString(36);
  const email = (w) => `${w}-${run}@bench.example.com`;
  const password = 'bench password 123';
  const { createPlatformAdmin } = await import('@emporium/devkit/client');
  createPlatformAdmin(email('admin'), password, runningEndpoints().endpoints.postgres);
  const admin = (await api('POST', '/auth/login', { body: { login: email('admin'), password } })).accessToken;

  // the catalogue's categories and templates (the demo's tea ware and apparel get theirs here), and its six shops
  const ownSpecs = {
    teaware: [{ key: 'glaze', name: t('釉色', 'Glaze'), values: [['celadon', '青瓷', 'Celadon'], ['tenmoku', '天目', 'Tenmoku'], ['white', '白瓷', 'White']] }, { key: 'capacity', name: t('容量', 'Capacity'), values: [['80ml', '80毫升', '80 ml'], ['150ml', '150毫升', '150 ml']] }],
    apparel: [{ key: 'colour', name: t('颜色', 'Colour'), values: [['indigo', '靛蓝', 'Indigo'], ['natural', '本色', 'Natural'], ['black', '黑色', 'Black']] }, { key: 'size', name: t('尺码', 'Size'), values: [['s', 'S', 'S'], ['m', 'M', 'M'], ['l', 'L', 'L']] }],
  };
  const subIds = new Map();
  const templates = new Map();
  for (const top of CATEGORIES) {
    const topId = (await api('POST', '/admin/categories', { token: admin, idempotent: true, body: { slug: `${top.slug}-${run}`, name: top.name } })).id;
    const specs = top.specs === 'existing' ? ownSpecs[top.slug].map((s) => ({ ...s, values: s.values.map(([key, zh, en]) => ({ key, name: t(zh, en) })) })) : top.specs.map((s) => ({ key: s.key, name: s.name, values: s.values.map(({ key, name }) => ({ key, name })) }));
    await api('PUT', `/admin/categories/${topId}/spec-template`, { token: admin, body: { specs } });
    templates.set(top.slug, specs);
    for (const s of top.subs) subIds.set(s.slug, (await api('POST', '/admin/categories', { token: admin, idempotent: true, body: { parentId: topId, slug: s.slug, name: s.name } })).id);
  }
  const shops = new Map();
  for (const s of SHOPS) {
    const merchant = await api('POST', '/auth/register', { idempotent: true, body: { email: email(s.who), password, displayName: s.en } });
    const applied = await api('POST', '/shops', {
      token: merchant.tokens.accessToken,
      idempotent: true,
      body: { name: t(s.zh, s.en), description: t(s.zh, s.en), contactEmail: email(s.who), contactPhone: '+8613800138000', settlementAccount: { accountName: s.en, bankName: 'Bench bank', accountNumber: '12345678' } },
    });
    await api('POST', `/admin/shops/${applied.id}/decision`, { token: admin, idempotent: true, body: { decision: 'approve' } });
    shops.set(s.who, { id: applied.id, token: (await refreshUntilRole(merchant.tokens, { role: 'merchant_owner', shopId: applied.id })).accessToken });
  }
  await new Promise((r) => setTimeout(r, 1000));

  // the products, through /api/v1 as merchants make them; catalog's events feed the index
  const plans = generateProducts(count, SHOPS, random(20261203));
  const byId = new Map();
  const made = Date.now();
  await pool(
    plans,
    8,
    async (plan, i) => {
      const shop = shops.get(plan.shop);
      const specs = templates.get(plan.top).map((spec, k) => ({ key: spec.key, values: spec.values.slice(0, k === 0 ? Math.min(plan.pickCount, spec.values.length) : 1).map((x) => x.key) }));
      const combos = specs.reduce((acc, sp) => acc.flatMap((p) => sp.values.map((x) => ({ ...p, [sp.key]: x }))), [{}]);
      const created = await api('POST', `/shops/${shop.id}/products`, {
        token: shop.token,
        idempotent: true,
        body: {
          categoryId: subIds.get(plan.sub),
          name: plan.name,
          description: t(`${plan.name['zh-CN']}，选材讲究，做工细致。`, `${plan.name.en}: chosen materials, careful work.`),
          brand: plan.brand,
          specs,
          skus: combos.map((specValues, k) => ({ specValues, price: { amount: plan.price + k * 1000, currency: 'CNY' }, barcode: `S${run}${i.toString(36)}x${k}`.slice(0, 32), weightGrams: 200 })),
        },
      });
      await api('POST', `/shops/${shop.id}/products/${created.id}/publish`, { token: shop.token });
      byId.set(created.id, plan);
    },
    bar('products made ', plans.length),
  );
  const madeSeconds = (Date.now() - made) / 1000;
  const indexing = Date.now();
  for (;;) {
    const r = await api('GET', '/search?limit=1');
    if (r.total >= count) break;
    process.stdout.write(`\r  indexed        ${String(r.total).padStart(6)}/${count}`);
    await new Promise((res) => setTimeout(res, 1000));
  }
  console.log(`\n  ${count} products made in ${madeSeconds.toFixed(0)} s (${(count / madeSeconds).toFixed(0)}/s through /api/v1); index complete ${((Date.now() - indexing) / 1000).toFixed(1)} s after the last was published`);

  // relevance
  const db = new Pool({ connectionString: runningEndpoints().endpoints.postgres, max: 10 });
  const baseline = async (q) => {
    const where = ["published", "(name->>'zh-CN' ILIKE $1 OR name->>'en' ILIKE $1)"];
    const params = [`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`];
    if (q.filters.minPrice !== undefined) where.push(`min_price >= ${Number(q.filters.minPrice)}`);
    if (q.filters.maxPrice !== undefined) where.push(`min_price <= ${Number(q.filters.maxPrice)}`);
    return (await db.query(`SELECT product_id FROM search.documents WHERE ${where.join(' AND ')} ORDER BY product_id LIMIT 10`, params)).rows.map((r) => r.product_id);
  };
  const viaSearch = async (q) => (await api('GET', `/search?${new URLSearchParams({ q: q.q, limit: '10', ...Object.fromEntries(Object.entries(q.filters).map(([k, v]) => [k, String(v)])) })}`)).items.map((h) => h.productId);
  const scores = { search: [], baseline: [] };
  for (const q of QUERIES) {
    const relevantCount = plans.filter(q.relevant).length;
    const isRelevant = (id) => Boolean(byId.get(id) && q.relevant(byId.get(id)));
    for (const [engine, ask] of [['search', viaSearch], ['baseline', baseline]]) {
      const ranked = await ask(q);
      scores[engine].push({ group: q.group, q: q.q, ndcg: ndcg(ranked, isRelevant, relevantCount), recall: recall(ranked, isRelevant, relevantCount), relevant: relevantCount });
    }
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
  const groups = [...new Set(QUERIES.map((q) => q.group))];
  console.log(`\nrelevance over ${QUERIES.length} judged queries, ${count} products (nDCG@10 / recall@10)`);
  console.log(`${'group'.padEnd(12)} ${'queries'.padStart(7)}  ${'search'.padStart(13)}  ${'ILIKE'.padStart(13)}`);
  const line = (label, pick) => {
    const s = scores.search.filter(pick);
    const b = scores.baseline.filter(pick);
    console.log(`${label.padEnd(12)} ${String(s.length).padStart(7)}  ${mean(s.map((x) => x.ndcg)).toFixed(2)} / ${mean(s.map((x) => x.recall)).toFixed(2)}    ${mean(b.map((x) => x.ndcg)).toFixed(2)} / ${mean(b.map((x) => x.recall)).toFixed(2)}`);
  };
  for (const g of groups) line(g, (x) => x.group === g);
  line('all', () => true);
  const misses = scores.search.filter((x) => x.ndcg < 0.5);
  if (misses.length) console.log(`search's weakest: ${misses.map((x) => `${x.q} (${x.ndcg.toFixed(2)})`).join(', ')}`);

  // latency at the same offered rates
  const lat = [];
  let qi = 0;
  const next = () => QUERIES[qi++ % QUERIES.length];
  // head: the judged queries in turn, as a storefront's popular queries come back (search keeps an answer
  // SEARCH_ANSWER_CACHE_MS); tail: each query made one of a kind by a price bound above every price, so no
  // answer is ever given twice and each is counted afresh
  let unique = 0;
  const viaApi = (tail) => async () => {
    let q = next();
    // (the tail leaves out the three queries bounded by a price already: they could not be made new)
    while (tail && q.filters.maxPrice !== undefined) q = next();
    const params = { q: q.q, limit: '20', ...Object.fromEntries(Object.entries(q.filters).map(([k, v]) => [k, String(v)])) };
    if (tail) params.maxPrice = String(1_000_000_000 + unique++);
    const res = await fetch(`${API}/search?${new URLSearchParams(params)}`);
    await res.arrayBuffer();
    return res.status === 200;
  };
  const viaSql = async () => {
    await baseline(next());
    return true;
  };
  // each run with the CPU every process spent on it (ms per query answered), so the figures say where time goes
  const measured = async (rate, engine, flow) => {
    const before = platformCpu();
    const r = await openLoop({ rate, seconds, flow });
    const cpu = cpuSpent(before, platformCpu());
    return { rate, engine, ...r, cpuMsPerQuery: (cpu.total * 1000) / Math.max(1, r.ok), cpuTop: cpu.rows.slice(0, 8).map((x) => ({ name: x.name, msPerQuery: (x.seconds * 1000) / Math.max(1, r.ok) })) };
  };
  for (const rate of rates) {
    lat.push(await measured(rate, 'search, head (popular queries)', viaApi(false)));
    lat.push(await measured(rate, 'search, tail (every query new)', viaApi(true)));
    lat.push(await measured(rate, 'ILIKE in PostgreSQL (no HTTP)', viaSql));
  }
  console.log(`\nlatency, ${seconds} s at each rate (ms, from when each query was due)`);
  console.log(`${'offered/s'.padStart(9)} ${'engine'.padEnd(36)} ${'done/s'.padStart(7)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'p99'.padStart(6)} ${'failed'.padStart(6)} ${'cpu ms/q'.padStart(8)}`);
  for (const r of lat) {
    console.log(`${String(r.rate).padStart(9)} ${r.engine.padEnd(36)} ${r.perSecond.toFixed(0).padStart(7)} ${ms(r.p50).padStart(6)} ${ms(r.p95).padStart(6)} ${ms(r.p99).padStart(6)} ${String(r.failed + r.dropped).padStart(6)} ${r.cpuMsPerQuery.toFixed(1).padStart(8)}`);
  }
  for (const r of lat) console.log(`  where the CPU went (${r.engine}, ${r.rate}/s, ms per query): ${r.cpuTop.map((x) => `${x.name} ${x.msPerQuery.toFixed(1)}`).join(', ')}`);
  await db.end();

  const memory = platformMemoryMiB();
  const searchRows = memory.rows.filter((r) => r.app === 'search');
  console.log(`\nmemory after the load (MiB, RSS / PSS): search with its sidecar ${searchRows.reduce((s, r) => s + r.rss, 0).toFixed(0)} / ${searchRows.reduce((s, r) => s + r.mib, 0).toFixed(0)}; platform ${memory.totalRss.toFixed(0)} / ${memory.total.toFixed(0)} (${memory.rows.filter((r) => r.kind === 'app').length} apps); infrastructure (PostgreSQL, RabbitMQ, Redis) PSS ${memory.infrastructure.total.toFixed(0)}`);
  for (const r of searchRows) console.log(`  ${r.what.padEnd(34)} RSS ${r.rss.toFixed(0).padStart(5)}  PSS ${r.mib.toFixed(0).padStart(5)}`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ count, rates, seconds, madeSeconds, scores, latency: lat }, null, 2));
} finally {
  await platform.stop();
}
