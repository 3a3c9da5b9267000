#!/usr/bin/env node
// Builds daprd, placement and scheduler from the Go module in tools/dapr into a
// cache folder outside git, stamped by the inputs; a second call with the same
// inputs returns at once. Writes .emporium/dapr.json so tests and the runner
// find the binaries.
//
//   npm run dapr:build                 lean daprd (only our components), placement, scheduler
//   npm run dapr:build -- --force      rebuild even when the stamp matches
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cacheRoot, daprPointerFile, repoRoot, stateDir } from './lib/paths.mjs';

const moduleDir = join(repoRoot, 'tools', 'dapr');
const commands = ['daprd', 'placement', 'scheduler'];
const force = process.argv.includes('--force');

function goFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return goFiles(p);
    return /\.(go|mod|sum)$/.test(e.name) ? [p] : [];
  });
}

function go(args, opts = {}) {
  return execFileSync('go', args, { cwd: moduleDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...opts });
}

const goMod = readFileSync(join(moduleDir, 'go.mod'), 'utf8');
const daprVersion = /github\.com\/dapr\/dapr (v[\d.]+)/.exec(goMod)?.[1];
if (!daprVersion) throw new Error('tools/dapr/go.mod does not require github.com/dapr/dapr');

let goVersion;
try {
  goVersion = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
} catch {
  console.error('dapr:build needs the Go toolchain (go) on PATH');
  process.exit(1);
}

const hash = createHash('sha256').update(goVersion);
for (const f of goFiles(moduleDir).sort()) hash.update(relative(moduleDir, f)).update(readFileSync(f));
const stamp = hash.digest('hex').slice(0, 12);
const outDir = join(cacheRoot, 'dapr', `${daprVersion}-${stamp}`);
const binDir = join(outDir, 'bin');
const manifestFile = join(outDir, 'build.json');

function writePointer(manifest) {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(daprPointerFile, `${JSON.stringify({ ...manifest, binDir }, null, 2)}\n`);
}

if (!force && existsSync(manifestFile)) {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  writePointer(manifest);
  console.log(`dapr ${manifest.version} already built: ${binDir}`);
  process.exit(0);
}

const version = daprVersion.slice(1);
let commit = '';
try {
  commit = JSON.parse(go(['mod', 'download', '-json', `github.com/dapr/dapr@${daprVersion}`])).Origin?.Hash ?? '';
} catch {
  // the commit is informational only
}
const ldflags = [
  '-s -w',
  `-X github.com/dapr/dapr/pkg/buildinfo.version=${version}`,
  `-X github.com/dapr/dapr/pkg/buildinfo.gitversion=${daprVersion}`,
  `-X github.com/dapr/dapr/pkg/buildinfo.gitcommit=${commit}`,
  `-X github.com/dapr/kit/logger.DaprVersion=${version}`,
].join(' ');

const tmpDir = `${outDir}.tmp-${process.pid}`;
rmSync(tmpDir, { recursive: true, force: true });
mkdirSync(join(tmpDir, 'bin'), { recursive: true });
console.log(`building dapr ${version} (${goVersion}) into ${outDir}; a cold build takes several minutes`);
const started = Date.now();
execFileSync('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', join(tmpDir, 'bin') + '/', ...commands.map((c) => `./cmd/${c}`)], {
  cwd: moduleDir,
  stdio: 'inherit',
  env: { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '1' },
});
const seconds = Math.round((Date.now() - started) / 100) / 10;
const reported = execFileSync(join(tmpDir, 'bin', 'daprd'), ['--version'], { encoding: 'utf8' }).trim();
if (reported !== version) throw new Error(`built daprd reports ${reported}, expected ${version}`);

const manifest = {
  version,
  commit,
  go: goVersion,
  stamp,
  builtAt: new Date().toISOString(),
  buildSeconds: seconds,
  sizes: Object.fromEntries(commands.map((c) => [c, statSync(join(tmpDir, 'bin', c)).size])),
};
writeFileSync(join(tmpDir, 'build.json'), `${JSON.stringify(manifest, null, 2)}\n`);
rmSync(outDir, { recursive: true, force: true });
renameSync(tmpDir, outDir);
writePointer(manifest);
const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
console.log(`dapr ${version} built in ${seconds}s: ${commands.map((c) => `${c} ${mib(manifest.sizes[c])}`).join(', ')}`);
