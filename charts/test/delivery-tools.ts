import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The delivery tools the tests drive: helm built from its Go module and the
 * strict checkers of tools/manifests (npm run tools:build; cached, so a
 * second build returns at once).
 */
export const repoRoot = join(__dirname, '..', '..');
export const chartDir = join(repoRoot, 'charts', 'emporium');

interface Tools {
  helm: string;
  manifestcheck: string;
  tiltcheck: string;
  dockerfilecheck: string;
}

let tools: Tools | undefined;
export function deliveryTools(): Tools {
  if (tools) return tools;
  const pointers = ['helm', 'manifests'].map((n) => join(repoRoot, '.emporium', `${n}.json`));
  if (!pointers.every((p) => existsSync(p))) {
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'tools-build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  }
  const bin = (p: string) => (JSON.parse(readFileSync(p, 'utf8')) as { binDir: string }).binDir;
  const [helmDir, checks] = pointers.map(bin) as [string, string];
  tools = {
    helm: join(helmDir, 'helm'),
    manifestcheck: join(checks, 'manifestcheck'),
    tiltcheck: join(checks, 'tiltcheck'),
    dockerfilecheck: join(checks, 'dockerfilecheck'),
  };
  return tools;
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], input?: string, cwd = repoRoot): Run {
  const r = spawnSync(cmd, args, { cwd, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function helm(args: string[]): Run {
  return run(deliveryTools().helm, args);
}

/** `helm template emporium charts/emporium` with values files (relative to the chart) and --set pairs. */
export function template(values: string[] = [], set: string[] = [], chart = chartDir): string {
  const r = helm(['template', 'emporium', chart, '--namespace', 'shop', ...values.flatMap((v) => ['--values', join(chart, v)]), ...set.flatMap((s) => ['--set', s])]);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return r.stdout;
}

export interface CheckReport {
  objects: { kind: string; name: string; namespace?: string; source: string }[];
  errors: string[];
}

export function manifestCheck(yaml: string, externalSecrets: string[] = []): CheckReport {
  const r = run(deliveryTools().manifestcheck, [...externalSecrets.flatMap((s) => ['-external-secret', s]), '-'], yaml);
  if (r.status > 1) throw new Error(`manifestcheck crashed: ${r.stderr}`);
  return JSON.parse(r.stdout) as CheckReport;
}

/** A rendered object, loosely typed for assertions. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  scopes?: string[];
  [key: string]: unknown;
}

export function objectsOf(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} among ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

/**
 * Calls a function of scripts/lib/chart.mjs (ES module, which jest's CommonJS
 * runtime cannot import) in a node process and returns its JSON result.
 */
export function chartLib<T>(call: string): T {
  const script = `import * as lib from './scripts/lib/chart.mjs'; process.stdout.write(JSON.stringify(lib.${call}));`;
  // stderr piped: a refusal's message is the thrown error's, not noise in the test's output
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' })) as T;
}
