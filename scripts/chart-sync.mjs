#!/usr/bin/env node
// Keeps the chart in step with the repository:
//   charts/emporium/files/components/  a copy of components/ (config, shared and
//                                      every profile the chart offers), which the
//                                      templates render as Dapr resources
//   charts/emporium/files/access-control.json
//                                      every app's access-control policies, from the
//                                      operation registry (needs the built contracts)
//   charts/emporium/README.md          the parameter table, from values.yaml's "# --" comments
//
//   npm run chart:sync            write them
//   npm run chart:sync -- --check list what is stale and exit 1 (a test runs this)
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { chartFiles } from './lib/chart.mjs';
import { repoRoot } from './lib/paths.mjs';

const check = process.argv.includes('--check');
const expected = chartFiles();
const chartDir = join(repoRoot, 'charts', 'emporium');
const componentsCopy = join(chartDir, 'files', 'components');

const stale = [];
for (const [file, content] of expected) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === content) continue;
  stale.push(relative(repoRoot, file));
  if (!check) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}
const walk = (dir) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)])) : []);
for (const file of walk(componentsCopy)) {
  if (expected.has(file)) continue;
  stale.push(`${relative(repoRoot, file)} (no longer in components/)`);
  if (!check) rmSync(file);
}
if (check && stale.length) {
  console.error(`the chart is out of step with the repository; run npm run chart:sync:\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
console.log(stale.length ? `chart:sync wrote ${stale.length} file(s)` : 'chart is in step');
