// What scripts/chart-sync.mjs writes into charts/emporium, computed from the
// repository: the components copy, the access-control policies, the outside
// parties of externals.yaml and the README's parameter table.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parse, parseDocument } from 'yaml';
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

const readIfThere = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/**
 * The outside parties of externals.yaml as templates/externals.yaml deploys them
 * (with externals.enabled), each in its own pod without a sidecar:
 * - `${secret:<scope>:<name>}` becomes a key of the Secret app <scope> reads, so both
 *   sides share one value; that app's `secrets` in values.yaml must list the key;
 * - `http://127.0.0.1:<port>` becomes the in-cluster Service of what listens there under
 *   `npm run dev`: the app the ingress serves (web's gateway, as for any outsider) or
 *   another party; any other loopback address is refused;
 * - `port` is the party's `http` port, and every env key ending in _PORT one more
 *   (mail-sink's SMTP_PORT: `smtp`), on the container and on its Service.
 * The texts default to the repository's files; a missing externals.yaml has no parties.
 */
export function chartExternals(
  externalsText = readIfThere(join(repoRoot, 'externals.yaml')),
  runFileText = readIfThere(join(repoRoot, 'dapr.yaml')),
  valuesText = readFileSync(join(chartDir, 'values.yaml'), 'utf8'),
) {
  const externals = parse(externalsText || '{}')?.externals ?? [];
  const apps = parse(runFileText || '{}')?.apps ?? [];
  const chartApps = parse(valuesText)?.apps ?? {};
  return externals.map((e) => {
    const fail = (msg) => {
      throw new Error(`externals.yaml: ${e.name}: ${msg}`);
    };
    if (apps.some((a) => a.appID === e.name)) fail('an app of dapr.yaml has the same name');
    const inCluster = (url) => {
      const port = Number(url.slice(url.lastIndexOf(':') + 1));
      const app = apps.find((a) => a.appPort === port);
      if (app && chartApps[app.appID]?.ingress) return `http://{{ include "emporium.appName" (dict "root" . "app" "${app.appID}") }}`;
      if (app) fail(`${url} is ${app.appID}, which has no Service in the cluster: an outside party reaches the platform through the app the ingress serves`);
      const other = externals.find((x) => x.port === port);
      if (other) return `http://${other.name}:${port}`;
      return fail(`${url}: nothing of dapr.yaml or externals.yaml listens there`);
    };
    const env = {};
    const secrets = {};
    for (const [key, raw] of Object.entries(e.env ?? {})) {
      const value = String(raw);
      const secret = /^\$\{secret:([^:}]+):([^}]+)\}$/.exec(value);
      if (secret) {
        const [, app, name] = secret;
        if (!(chartApps[app]?.secrets ?? []).includes(name)) fail(`${key} reads secret ${app}:${name}, which apps.${app}.secrets in charts/emporium/values.yaml does not list`);
        secrets[key] = { app, key: name };
        continue;
      }
      if (value.includes('${secret:')) fail(`${key}: a secret must be the whole value (a container takes it from a Secret key as it is)`);
      const rewritten = value.replace(/http:\/\/(?:127\.0\.0\.1|localhost):\d+/g, inCluster);
      if (/127\.0\.0\.1|localhost/.test(rewritten)) fail(`${key}: ${value} names a loopback address the cluster has no Service for`);
      env[key] = rewritten;
    }
    if (env.PORT !== undefined && Number(env.PORT) !== e.port) fail(`env PORT ${env.PORT} is not its port ${e.port}`);
    const extra = Object.entries(env)
      .filter(([k]) => k.endsWith('_PORT'))
      .map(([k, v]) => ({ name: k.slice(0, -'_PORT'.length).toLowerCase().replace(/_/g, '-').slice(0, 15).replace(/-+$/, ''), port: Number(v) }));
    const ports = [{ name: 'http', port: e.port }, ...extra];
    for (const p of ports) if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) fail(`port ${p.name} ${p.port} is no port`);
    return { name: e.name, healthCheckPath: e.healthCheckPath, ports, env, secrets };
  });
}

export function externalsFile() {
  return `${JSON.stringify({ generatedBy: 'npm run chart:sync from externals.yaml; do not edit', externals: chartExternals() }, null, 2)}\n`;
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
  files.set(join(chartDir, 'files', 'externals.json'), externalsFile());
  files.set(join(chartDir, 'README.md'), readme());
  return files;
}
