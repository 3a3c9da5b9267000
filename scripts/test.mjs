#!/usr/bin/env node
// `npm test`: every tier against real infrastructure. Builds the Dapr runtime
// first when this machine has none, then runs unit and component tests, then
// the end-to-end suite against the platform started as `npm run dev` starts it
// (separately: both use the platform's fixed ports), two suites at a time but
// for the few that must run alone (ALONE below). Ends with one line
// `tests: N passed, N failed, N skipped` (skipped counts skipped and todo
// tests). Every tier runs even when an earlier one failed. Exits non-zero
// when jest did, when a test failed, or when no test ran.
//   npm test                              everything
//   npm test -- --selectProjects unit     one tier (arguments go to jest)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot, stateDir } from './lib/paths.mjs';

const run = (cmd, args) => spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', env: process.env }).status ?? 1;
/** The same, without blocking this process: the platform it started keeps writing to it meanwhile. */
const runAsync = (cmd, args, env = process.env) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

// both return at once when their cached binaries match the sources
for (const [script, what] of [['dapr-build.mjs', 'the Dapr runtime'], ['tools-build.mjs', 'helm and the manifest checkers']]) {
  if (run(process.execPath, [join(repoRoot, 'scripts', script)]) !== 0) {
    console.error(`${what} could not be built; see the output above`);
    process.exit(1);
  }
}

// the chart's policies are generated from the built contracts (chart:sync --check reads them), and
// a component test runs its service's peers from their builds (devkit's startPeer): build them all,
// unless the caller just did (EMPORIUM_BUILT=1: CI's typecheck step ran `tsc -b`; a stale build still
// fails startPeer's freshness check)
if (process.env.EMPORIUM_BUILT !== '1' && run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b']) !== 0) {
  console.error('the workspaces do not build; see the output above');
  process.exit(1);
}
// built now: the suites that need the builds (images.test.ts) need not build again
process.env.EMPORIUM_BUILT = '1';
mkdirSync(stateDir, { recursive: true });
const jest = join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js');
// The e2e suites share one platform. Most of them mind only their own data and run two at a time
// (their waits overlap: payment timeouts, parcels travelling, pages rendering); these do not, and
// run alone after them: restart kills order, gateway spends the address's whole rate, the hostile
// requests send thousands of refused ones from that address too, and loopback-only starts a second
// platform of its own. Unit, delivery and component suites run one at a time: they could share the
// broker (each jest worker's test platforms have topics of their own), but two at a time on two cores
// the checkout component suite's hundred racing checkouts beside the dev-runner suite's whole platform
// failed (timeouts and 500s of an overloaded inventory), where one at a time they pass.
const ALONE = 'e2e/(restart|outage|gateway|hostile-requests|loopback-only)\\.e2e\\.test\\.ts$';
const everything = process.argv.length <= 2;
const passes = everything
  ? [
      ['--selectProjects', 'unit', 'delivery', 'component', '--runInBand'],
      ['--selectProjects', 'e2e', '--maxWorkers=2', '--testPathIgnorePatterns', '/node_modules/', '<rootDir>/web/.next/', ALONE],
      ['--selectProjects', 'e2e', '--runInBand', '--testPathPatterns', ALONE],
    ]
  : [process.argv.slice(2)];

// for the whole run, the e2e passes share one platform, started here as jest's global setup would
// start it (and that setup, seeing EMPORIUM_E2E_PLATFORM, leaves it alone)
const require = createRequire(import.meta.url);
let platformUp = false;

let passed = 0;
let failed = 0;
let skipped = 0;
let status = 0;
for (const [i, args] of passes.entries()) {
  const results = join(stateDir, `jest-results-${i}.json`);
  rmSync(results, { force: true });
  const e2e = everything && args[1] === 'e2e';
  if (e2e && !platformUp) {
    try {
      await require(join(repoRoot, 'e2e', 'global-setup.cjs'))();
      platformUp = true;
    } catch (err) {
      console.error(`the platform did not start for the e2e suites: ${err.message}`);
      await require(join(repoRoot, 'e2e', 'global-teardown.cjs'))().catch(() => undefined);
      failed += 1;
      status ||= 1;
      break;
    }
  }
  const code = await runAsync(process.execPath, [jest, '--ci', '--json', `--outputFile=${results}`, ...args], e2e ? { ...process.env, EMPORIUM_E2E_PLATFORM: 'running' } : process.env);
  status ||= code;
  if (existsSync(results)) {
    const r = JSON.parse(readFileSync(results, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    // jest failed without a failing test (a setup that threw, a suite that did not load): count it
    if (code !== 0 && r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) === 0) failed += 1;
  } else {
    failed += 1; // the run died before it could report
  }
}
if (platformUp) await require(join(repoRoot, 'e2e', 'global-teardown.cjs'))();
if (passed === 0) console.error('no test ran');
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status === 0 && failed === 0 && passed > 0 ? 0 : 1);
