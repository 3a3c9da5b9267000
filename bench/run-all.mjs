#!/usr/bin/env node
// npm run bench — every benchmark, one after another (each starts and stops
// the platform itself), then bench/results/<date>.md: every benchmark's
// output (each figure beside its baseline, measured in the same run), the
// commit, the machine; bench/results/<date>-latency.svg: latency against
// offered rate for the gateway and for checkout; and each benchmark README's
// "Latest" block replaced by its newest table.
//   npm run bench                               all of them (about half an hour here)
//   npm run bench -- catalog checkout           some of them (bench/results/<date>-catalog-checkout.md)
// Stop a running `npm run dev` first: the benchmarks use the platform's ports.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
/** name → how `npm run bench` runs it (a wider spread of rates than their defaults, for the plot) */
const all = {
  catalog: { env: { BENCH_RATES: '200,500,1000,2000' } },
  checkout: { env: { BENCH_RATES: '2,4,6,10' } },
  'flash-sale': { env: {} },
  hop: { env: {} },
  memory: { env: {} },
  security: { env: {}, args: ['--rounds', '2'] },
};
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(all);
for (const name of chosen) if (!all[name]) throw new Error(`no benchmark ${name}; there are ${Object.keys(all).join(', ')}`);

const day = new Date().toISOString().slice(0, 10);
// a run of some of them does not overwrite the day's full run
const stem = process.argv.slice(2).length ? `${day}-${chosen.join('-')}` : day;
const resultsDir = join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const commit = git('rev-parse', '--short', 'HEAD');
const dirty = git('status', '--porcelain', '--untracked-files=no') ? ' (with uncommitted changes)' : '';
const daprVersion = /github\.com\/dapr\/dapr (v\S+)/.exec(readFileSync(join(root, 'tools', 'dapr', 'go.mod'), 'utf8'))?.[1] ?? '?';
const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, Dapr ${daprVersion}`;

function run(name) {
  const { env, args = [] } = all[name];
  const json = join(resultsDir, `.${name}.json`);
  const started = Date.now();
  console.log(`\n=== bench:${name} ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bench', name, 'run.mjs'), ...args], { cwd: root, env: { ...process.env, ...env, BENCH_JSON: json }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      process.stdout.write(c);
    });
    child.on('exit', (code) => {
      const figures = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : undefined;
      resolve({ name, code, seconds: Math.round((Date.now() - started) / 1000), out: out.trim(), figures, command: `${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}npm run bench:${name}${args.length ? ` -- ${args.join(' ')}` : ''}` });
    });
  });
}

const runs = [];
for (const name of chosen) runs.push(await run(name));

// --- the plot: latency against offered rate, log scale, one panel per front ---
function svgPlot(panels) {
  const W = 460;
  const H = 300;
  const pad = { l: 60, r: 16, t: 34, b: 44 };
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [];
  panels.forEach((panel, k) => {
    const x0 = k * W;
    const pts = panel.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y) && p.y > 0);
    if (!pts.length) return;
    const xs = pts.map((p) => p.x);
    const [xmin, xmax] = [Math.min(...xs), Math.max(...xs)];
    const lo = Math.floor(Math.log10(Math.min(...pts.map((p) => p.y))));
    const hi = Math.ceil(Math.log10(Math.max(...pts.map((p) => p.y))));
    const X = (x) => x0 + pad.l + ((x - xmin) / Math.max(1e-9, xmax - xmin)) * (W - pad.l - pad.r);
    const Y = (y) => pad.t + (1 - (Math.log10(y) - lo) / Math.max(1, hi - lo)) * (H - pad.t - pad.b);
    parts.push(`<text x="${x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(panel.title)}</text>`);
    for (let e = lo; e <= hi; e++) {
      const v = 10 ** e;
      parts.push(`<line x1="${x0 + pad.l}" x2="${x0 + W - pad.r}" y1="${Y(v)}" y2="${Y(v)}" stroke="#ddd"/><text x="${x0 + pad.l - 6}" y="${Y(v) + 4}" text-anchor="end">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
    }
    for (const x of [...new Set(xs)].sort((a, b) => a - b)) parts.push(`<text x="${X(x)}" y="${H - pad.b + 16}" text-anchor="middle">${x}</text>`);
    parts.push(`<text x="${x0 + W / 2}" y="${H - 8}" text-anchor="middle">${esc(panel.xLabel)}</text>`);
    panel.series.forEach((s, i) => {
      const c = colours[i % colours.length];
      const ps = s.points.filter((p) => Number.isFinite(p.y) && p.y > 0).sort((a, b) => a.x - b.x);
      parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" ${s.dashed ? 'stroke-dasharray="5 4"' : ''} points="${ps.map((p) => `${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ')}"/>`);
      for (const p of ps) parts.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="3" fill="${c}"/>`);
      parts.push(`<text x="${x0 + pad.l + 8}" y="${pad.t + 12 + i * 14}" fill="${c}">${esc(s.name)}</text>`);
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W * panels.length}" height="${H}" font-family="sans-serif" font-size="11" role="img" aria-label="Latency against offered rate">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
const panels = [];
const catalog = runs.find((r) => r.name === 'catalog')?.figures;
if (catalog) {
  const series = (name, label, k = 'p95', dashed = false) => ({ name: label, dashed, points: catalog.rows.filter((r) => r.name === name).map((r) => ({ x: r.offered, y: r[k] })) });
  panels.push({
    title: 'Product detail, p95 (ms, log scale)',
    xLabel: 'offered requests per second',
    series: [series('detail, cache on, gateway', 'through /api/v1'), series('detail, cache on, web sidecar', "web's sidecar"), series('detail, cache on, catalog direct', 'catalog direct'), series('baseline: bare Express, same body', 'bare Express', 'p95', true)],
  });
}
const checkout = runs.find((r) => r.name === 'checkout')?.figures;
if (checkout) {
  const series = (scenario, label, k, dashed = false) => ({ name: label, dashed, points: checkout.rows.filter((r) => r.scenario === scenario).map((r) => ({ x: r.offered, y: r[k] })) });
  panels.push({
    title: 'Checkout to PAID (ms, log scale)',
    xLabel: 'offered checkouts per second',
    series: [series('checkout to PAID', 'checkout p50', 'p50'), series('checkout to PAID', 'checkout p99', 'p99'), series('floor: empty workflow', 'empty workflow p50', 'p50', true), series('baseline: quote only', 'quote p50', 'p50', true)],
  });
}
const svgName = `${stem}-latency.svg`;
if (panels.length) writeFileSync(join(resultsDir, svgName), svgPlot(panels));

// --- the results file ---
const md = [
  `# Benchmarks — ${day}`,
  '',
  `Commit ${commit}${dirty}; ${machine}. Made by \`npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`, every benchmark starting the platform on its own, one after another, with the infrastructure that was running (PostgreSQL, RabbitMQ, Redis, …) and everything else on this machine.`,
  '',
  ...(panels.length ? [`![Latency against offered rate](${svgName})`, ''] : []),
  '| benchmark | command | took | exit |',
  '|---|---|---|---|',
  ...runs.map((r) => `| ${r.name} | \`${r.command}\` | ${r.seconds} s | ${r.code} |`),
  '',
  ...runs.flatMap((r) => [`## ${r.name}`, '', `\`${r.command}\``, '', '```text', r.out, '```', '']),
].join('\n');
writeFileSync(join(resultsDir, `${stem}.md`), md);

// --- each README's latest table ---
for (const r of runs) {
  const readme = join(root, 'bench', r.name, 'README.md');
  if (!existsSync(readme) || r.code !== 0) continue;
  const block = `<!-- latest:start (written by npm run bench) -->\n## Latest — ${day}, commit ${commit}${dirty}\n\n\`${r.command}\` on ${machine} ([all figures of that run](../results/${stem}.md)):\n\n\`\`\`text\n${r.out}\n\`\`\`\n<!-- latest:end -->`;
  const text = readFileSync(readme, 'utf8');
  const marked = /<!-- latest:start[^>]*-->[\s\S]*?<!-- latest:end -->/;
  // the block goes after the README's first section (what it measures and how to run it)
  const next = marked.test(text) ? text.replace(marked, block) : text.replace(/\n## /, `\n${block}\n\n## `);
  writeFileSync(readme, next);
}
console.log(`\nwrote bench/results/${stem}.md${panels.length ? ` and ${svgName}` : ''}; ${runs.filter((r) => r.code !== 0).length} benchmark(s) failed`);
if (runs.some((r) => r.code !== 0)) process.exitCode = 1;
