#!/usr/bin/env node
// `npm run dev`: installs dependencies if missing, builds the Dapr runtime and
// the TypeScript workspaces if needed, then starts the whole platform
// (apps/devkit/src/platform/runner.ts). Ctrl-C stops everything.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { stale } from './lib/freshness.mjs';
import { repoRoot } from './lib/paths.mjs';

const step = (what, cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`npm run dev: ${what} failed`);
    process.exit(r.status ?? 1);
  }
};

const installed = join(repoRoot, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(join(repoRoot, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs) {
  step('installing dependencies', 'npm', ['ci', '--no-audit', '--no-fund']);
}
step('building the Dapr runtime', process.execPath, [join(repoRoot, 'scripts', 'dapr-build.mjs')]);
step('building the workspaces', process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b']);
// web's bundle (gateway-bundle.mjs) carries the contracts and the kit's jwt module
if (stale(join(repoRoot, 'web', '.next', 'BUILD_ID'), [join(repoRoot, 'web'), join(repoRoot, 'contracts', 'dist'), join(repoRoot, 'apps', 'kit', 'dist', 'auth')])) {
  step('building web (Next.js)', 'npm', ['run', 'build', '-w', '@emporium/web']);
}

/** Demo data on the first start against a database (EMPORIUM_SEED=off skips it). */
function seedOnce(databaseUrl) {
  if (process.env.EMPORIUM_SEED === 'off') return;
  const marker = join(repoRoot, '.emporium', `seeded-${createHash('sha256').update(databaseUrl).digest('hex').slice(0, 12)}`);
  if (existsSync(marker)) return;
  console.log('seeding demo data (first start against this database)…');
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'seed.mjs')], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, DATABASE_URL: databaseUrl } });
  if (r.status === 0) writeFileSync(marker, new Date().toISOString());
  else console.error('seeding failed; the platform runs without demo data (npm run seed tries again)');
}

const require = createRequire(import.meta.url);
const { startPlatform, AlreadyRunningError } = require(join(repoRoot, 'apps', 'devkit', 'dist', 'platform', 'index.js'));

let stopPlatform;
let stopping = false;
const shutdown = async (signal, exitCode = 0) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping Emporium…`);
  const started = Date.now();
  try {
    await stopPlatform?.();
  } catch (err) {
    console.error('npm run dev: the stop went wrong', err);
    exitCode = 1;
  }
  console.log(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(exitCode);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// the terminal closed: stop as on Ctrl-C
process.on('SIGHUP', () => void shutdown('SIGHUP'));
// Whoever reads our output may be gone (a closed terminal, a benchmark or test that exited): a write
// then fails with EPIPE, and an unhandled stream error would kill the runner in the middle of a stop,
// leaving the detached sidecars, Sentry and the provider simulator holding their ports. Lose the
// output, keep stopping.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
// any other error of the runner itself: stop what it started before going, never orphan it
process.on('uncaughtException', (err) => {
  console.error('npm run dev: unexpected error', err);
  void shutdown('error', 1);
});

try {
  const platform = await startPlatform({ root: repoRoot, onStop: (stop) => (stopPlatform = stop) });
  seedOnce(platform.endpoints.postgres);
} catch (err) {
  // after a Ctrl-C during start-up, the signal handler finishes the stop and exits
  if (!stopping) {
    console.error(err instanceof AlreadyRunningError ? err.message : err);
    process.exit(1);
  }
}
