// What scripts/chart-sync.mjs writes into charts/emporium, computed from the
// repository: the components copy and the README's parameter table.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { repoRoot } from './paths.mjs';

const chartDir = join(repoRoot, 'charts', 'emporium');
const componentsDir = join(repoRoot, 'components');
/** Profiles for a laptop only: embedded runs PostgreSQL inside the runner. */
export const localOnlyProfiles = ['embedded'];

export function chartProfiles() {
  return readdirSync(componentsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'shared' && !localOnlyProfiles.includes(e.name))
    .map((e) => e.name)
    .sort();
}

const header = (source) => `# Copied from ${source} by npm run chart:sync; edit that file, not this one.\n`;

/** Every documented leaf of values.yaml: [path, default, description]. */
export function valuesParameters(text = readFileSync(join(chartDir, 'values.yaml'), 'utf8')) {
  const doc = parseDocument(text);
  const rows = [];
  const undocumented = [];
  const walk = (node, path) => {
    for (const [i, pair] of node.items.entries()) {
      const key = `${path}${path ? '.' : ''}${pair.key.value}`;
      // the yaml parser hangs a comment above a map's first key on the map itself
      const before = pair.key.commentBefore ?? (i === 0 ? node.commentBefore : undefined);
      const comment = (before ?? '').split('\n').map((l) => l.trim());
      const doc = comment.find((l) => l.startsWith('-- '));
      const value = pair.value;
      if (isMap(value) && value.items.length > 0 && !doc) {
        walk(value, key);
        continue;
      }
      if (!doc) {
        undocumented.push(key);
        continue;
      }
      const json = isScalar(value) || isSeq(value) || isMap(value) ? JSON.stringify(value.toJSON()) : 'null';
      rows.push([key, json, doc.slice(3)]);
    }
  };
  walk(doc.contents, '');
  return { rows, undocumented };
}

function readme() {
  const template = readFileSync(join(chartDir, 'README.md'), 'utf8');
  const { rows } = valuesParameters();
  const cell = (s) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const table = ['| Key | Default | Description |', '|---|---|---|', ...rows.map(([k, v, d]) => `| \`${k}\` | \`${cell(v)}\` | ${cell(d)} |`)].join('\n');
  const start = '<!-- parameters:start -->';
  const end = '<!-- parameters:end -->';
  const from = template.indexOf(start);
  const to = template.indexOf(end);
  if (from < 0 || to < from) throw new Error(`charts/emporium/README.md needs ${start} and ${end}`);
  return `${template.slice(0, from + start.length)}\n${table}\n${template.slice(to)}`;
}

/**
 * Every app's access-control policies, generated from the operation registry
 * (the built contracts); the namespace is the release's, set by the template.
 */
export function accessControlFile() {
  const { AppIds, Operations, accessControlOf } = createRequire(import.meta.url)('@emporium/contracts');
  const apps = Object.values(AppIds).sort();
  const policies = Object.fromEntries(apps.map((app) => [app, accessControlOf(app, Operations, { namespace: 'RELEASE_NAMESPACE' })]));
  return `${JSON.stringify({ generatedBy: 'npm run chart:sync from the operation registry in contracts/; do not edit', policies }, null, 2)}\n`;
}

/** Map of absolute path → content that chart:sync owns. */
export function chartFiles() {
  const files = new Map();
  const copy = (rel) => files.set(join(chartDir, 'files', rel), header(rel) + readFileSync(join(repoRoot, rel), 'utf8'));
  copy('components/config.yaml');
  for (const dir of ['shared', ...chartProfiles()]) {
    for (const f of readdirSync(join(componentsDir, dir)).filter((n) => n.endsWith('.yaml')).sort()) copy(`components/${dir}/${f}`);
  }
  files.set(join(chartDir, 'files', 'access-control.json'), accessControlFile());
  files.set(join(chartDir, 'README.md'), readme());
  return files;
}
