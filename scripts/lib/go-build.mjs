// Builds Go commands from one of the project's Go modules (tools/*) into a
// cache folder outside git, stamped by the Go version and every .go/.mod/.sum
// file of the module; a second call with the same inputs returns at once.
// Writes .emporium/<name>.json so tests and scripts find the binaries.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { cacheRoot, stateDir } from './paths.mjs';

function goFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return goFiles(p);
    return /\.(go|mod|sum)$/.test(e.name) ? [p] : [];
  });
}

export function goVersion() {
  try {
    return execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  } catch {
    console.error('building the tools needs the Go toolchain (go) on PATH');
    process.exit(1);
  }
}

/** The version a module's go.mod requires of a dependency, e.g. v1.18.2. */
export function requiredVersion(moduleDir, dependency) {
  const goMod = readFileSync(join(moduleDir, 'go.mod'), 'utf8');
  const escaped = dependency.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const version = new RegExp(`^\\s*(?:require\\s+)?${escaped} (v[\\w.+-]+)`, 'm').exec(goMod)?.[1];
  if (!version) throw new Error(`${moduleDir}/go.mod does not require ${dependency}`);
  return version;
}

/** The commit a module version was tagged from, when the proxy knows it. */
export function moduleCommit(moduleDir, dependency, version) {
  try {
    const out = execFileSync('go', ['mod', 'download', '-json', `${dependency}@${version}`], { cwd: moduleDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return JSON.parse(out).Origin?.Hash ?? '';
  } catch {
    return '';
  }
}

/**
 * @param {object} o
 * @param {string} o.name        cache folder and pointer name (dapr, helm, manifests)
 * @param {string} o.moduleDir   the Go module
 * @param {string} o.version     what the stamp folder is named after
 * @param {Record<string,string>} o.commands  binary name → package to build
 * @param {string} [o.ldflags]
 * @param {boolean} [o.force]
 * @param {(binDir: string) => void} [o.verify]  throws when the fresh binaries are wrong
 * @param {Record<string,unknown>} [o.info]      extra fields for the manifest
 * @param {string[]} [o.tests]  packages whose Go tests must pass before a build (kept to small ones: a test
 *                              binary of a command links the whole runtime, minutes on two cores)
 */
export function buildGoModule({ name, moduleDir, version, commands, ldflags = '-s -w', force = false, verify, info = {}, tests = [] }) {
  const go = goVersion();
  const hash = createHash('sha256').update(go).update(ldflags);
  for (const f of goFiles(moduleDir).sort()) hash.update(relative(moduleDir, f)).update(readFileSync(f));
  const stamp = hash.digest('hex').slice(0, 12);
  const outDir = join(cacheRoot, name, `${version}-${stamp}`);
  const binDir = join(outDir, 'bin');
  const manifestFile = join(outDir, 'build.json');
  const pointer = join(stateDir, `${name}.json`);
  const writePointer = (manifest) => {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(pointer, `${JSON.stringify({ ...manifest, binDir }, null, 2)}\n`);
  };
  const cached = () => {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writePointer(manifest);
    return { binDir, manifest, built: false };
  };
  if (!force && existsSync(manifestFile)) return cached();
  // one build of the same inputs at a time: a second caller (npm test beside npm run dev on a fresh
  // machine) waits for the first and takes its binaries, instead of a second build beside it on the
  // same two cores (session 32: 768 s instead of 254)
  const release = lockBuild(`${outDir}.lock`, name);
  try {
    if (!force && existsSync(manifestFile)) return cached();
    return build();
  } finally {
    release();
  }

  function build() {
    const tmpDir = `${outDir}.tmp-${process.pid}`;
    rmSync(tmpDir, { recursive: true, force: true });
    mkdirSync(join(tmpDir, 'bin'), { recursive: true });
    console.log(`building ${name} ${version} (${go}) into ${outDir}`);
    const started = Date.now();
    if (tests.length) execFileSync('go', ['test', '-count=1', ...tests], { cwd: moduleDir, stdio: 'inherit' });
    for (const [bin, pkg] of Object.entries(commands)) {
      execFileSync('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', join(tmpDir, 'bin', bin), pkg], {
        cwd: moduleDir,
        stdio: 'inherit',
        env: { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '1' },
      });
    }
    const buildSeconds = Math.round((Date.now() - started) / 100) / 10;
    verify?.(join(tmpDir, 'bin'));
    const manifest = {
      version,
      ...info,
      go,
      stamp,
      builtAt: new Date().toISOString(),
      buildSeconds,
      sizes: Object.fromEntries(Object.keys(commands).map((c) => [c, statSync(join(tmpDir, 'bin', c)).size])),
    };
    writeFileSync(join(tmpDir, 'build.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    rmSync(outDir, { recursive: true, force: true });
    renameSync(tmpDir, outDir);
    writePointer(manifest);
    return { binDir, manifest, built: true };
  }
}

/**
 * Takes the build lock (a folder holding the owner's pid), waiting while a live process holds it; a
 * lock whose process is gone (killed mid-build) is taken over. Returns its release.
 */
function lockBuild(lockDir, name) {
  const owner = join(lockDir, 'pid');
  mkdirSync(dirname(lockDir), { recursive: true });
  // reads in a row that found no pid: the owner writes it right after taking the lock
  let pidless = 0;
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(lockDir);
      writeFileSync(owner, String(process.pid));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let pid = Number.NaN;
    try {
      pid = Number(readFileSync(owner, 'utf8'));
    } catch {
      // the owner is between taking the lock and writing its pid
    }
    pidless = Number.isNaN(pid) ? pidless + 1 : 0;
    // no pid for 20 s: its owner died between taking the lock and writing it (a long wait for an
    // earlier owner does not count, so a new owner caught before it wrote its pid keeps its lock)
    if ((Number.isInteger(pid) && pid > 0 && !alive(pid)) || pidless >= 10) {
      console.log(`${name}: taking over the build lock of process ${Number.isNaN(pid) ? '?' : pid}, which is gone`);
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (waited % 30 === 0) console.log(`${name}: another process (${Number.isNaN(pid) ? 'starting' : pid}) is building the same inputs; waiting for it`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_000);
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

export const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
