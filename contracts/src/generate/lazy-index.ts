import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import type { EventRegistry } from '../events';
import type { ApiOperation } from '../operation';
import type { LoadedModule, Place } from '../lazy';

/** contracts/src, from src/generate (jest) and from dist/generate (the generator's run) alike. */
const sourceDir = join(__dirname, '..', '..', 'src');
/** Modules never loaded by the entry point: itself, its machinery, the generator's own script (it writes files when loaded). */
const leftOut = new Set(['index', 'lazy-index', 'lazy', 'generate/cli', 'generate/lazy-index']);
/** Names the entry point makes lazily in its own way (a registry that loads per topic, a lookup that loads one app's modules). */
const special = new Set(['PlatformEvents', 'operationsOf']);

function sourceModules(dir = sourceDir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceModules(p);
    if (!name.endsWith('.ts') || name.endsWith('.test.ts') || name.endsWith('.d.ts')) return [];
    return [relative(sourceDir, p).split('\\').join('/').replace(/\.ts$/, '')];
  });
}

/** Each module's value imports (`import type` and `export type` left out), from its source. */
function importGraph(modules: readonly string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const m of modules) {
    const text = readFileSync(join(sourceDir, `${m}.ts`), 'utf8');
    const deps = new Set<string>();
    for (const match of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gms)) {
      if (match[1]) continue;
      deps.add(posix.normalize(posix.join(posix.dirname(m), match[2]!)));
    }
    graph.set(m, deps);
  }
  return graph;
}

function closureSize(graph: Map<string, Set<string>>, start: string): number {
  const seen = new Set([start]);
  const todo = [start];
  while (todo.length) {
    for (const d of graph.get(todo.pop()!) ?? []) {
      if (seen.has(d)) continue;
      seen.add(d);
      todo.push(d);
    }
  }
  return seen.size;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const holds = (holder: unknown, value: unknown): boolean =>
  Array.isArray(holder) ? holder.includes(value) : isPlainObject(holder) && holder !== value && Object.values(holder).includes(value);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireModule = (m: string) => require(join(__dirname, '..', m)) as LoadedModule;

/**
 * The source of `src/lazy-index.ts`, the package's entry point: every name of
 * `index.ts`, each read from the module that defines it (of the modules
 * exporting the very same value, the one that loads the fewest others), and
 * that module loaded on first read. `PlatformEvents` becomes a registry that
 * loads a topic's module when the topic is read, `operationsOf` reads one
 * app's modules.
 */
export function lazyIndexSource(load: (module: string) => LoadedModule = requireModule): string {
  const modules = sourceModules().filter((m) => !leftOut.has(m)).sort();
  const graph = importGraph([...modules, 'index']);
  const cost = new Map(modules.map((m) => [m, closureSize(graph, m)]));
  const loaded = new Map(modules.map((m) => [m, load(m)]));
  const byCost = [...modules].sort((a, b) => cost.get(a)! - cost.get(b)! || a.localeCompare(b));
  const index = load('index');

  const names: Record<string, string> = {};
  for (const name of Object.keys(index).sort()) {
    if (name === 'default' || special.has(name)) continue;
    const home = byCost.find((m) => Object.hasOwn(loaded.get(m)!, name) && loaded.get(m)![name] === index[name]);
    if (!home) throw new Error(`no module of contracts exports ${name} as index.ts does`);
    names[name] = home;
  }
  const placeOf = (value: unknown, what: string): Place => {
    for (const m of byCost) {
      const exports = loaded.get(m)!;
      const name = Object.keys(exports).sort().find((n) => holds(exports[n], value));
      if (name) return [m, name];
    }
    throw new Error(`no module of contracts holds ${what}`);
  };
  const registry = index['PlatformEvents'] as EventRegistry;
  const topics = Object.fromEntries(Object.keys(registry).sort().map((topic) => [topic, placeOf(registry[topic], `the event ${topic}`)]));
  const owners: Record<string, Place[]> = {};
  for (const op of index['Operations'] as readonly ApiOperation[]) {
    if (op.appId === '*') continue;
    const place = placeOf(op, `the operation ${op.operationId}`);
    const list = (owners[op.appId] ??= []);
    if (!list.some((p) => p[0] === place[0] && p[1] === place[1])) list.push(place);
  }
  for (const list of Object.values(owners)) list.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));

  const used = [...new Set([...Object.values(names), ...Object.values(topics).map((p) => p[0]), ...Object.values(owners).flatMap((l) => l.map((p) => p[0]))])].sort();
  const key = (s: string) => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : `'${s}'`);
  const place = (p: Place) => `['${p[0]}', '${p[1]}']`;
  return [
    '// Generated by `npm run contracts:generate` (src/generate/lazy-index.ts) from index.ts; do not edit.',
    '/* eslint-disable @typescript-eslint/no-require-imports */',
    '/**',
    ' * The package\'s entry point (`main` in package.json; `index.ts` gives the types).',
    ' * The same names with the same values as `index.ts`, but a module is loaded',
    ' * when one of its names is first read: `export *` loaded every schema of the',
    ' * platform into every service (about 9 MiB of RSS each), where a service',
    ' * uses its own and a few of its peers\'.',
    ' */',
    "import { LazyModules, type LoadedModule } from './lazy';",
    '',
    'const modules = new LazyModules({',
    ...used.map((m) => `  ${key(m)}: () => require('./${m}') as LoadedModule,`),
    '});',
    '',
    'modules.defineExports(exports as object, {',
    ...Object.entries(names).map(([n, m]) => `  ${key(n)}: '${m}',`),
    '});',
    '',
    "Object.defineProperty(exports, 'PlatformEvents', {",
    '  enumerable: true,',
    '  value: modules.registry({',
    ...Object.entries(topics).map(([t, p]) => `    '${t}': ${place(p)},`),
    '  }),',
    '});',
    '',
    "Object.defineProperty(exports, 'operationsOf', {",
    '  enumerable: true,',
    '  value: modules.operationsOf({',
    ...Object.entries(owners).sort(([a], [b]) => a.localeCompare(b)).map(([app, list]) => `    ${key(app)}: [${list.map(place).join(', ')}],`),
    '  }),',
    '});',
    '',
  ].join('\n');
}

/** Where the generated entry point is written. */
export const lazyIndexFile = join(dirname(sourceDir), 'src', 'lazy-index.ts');
