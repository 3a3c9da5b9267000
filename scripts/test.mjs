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
//   npm test -- --e2e 'e2e/(checkout|restart)\.e2e\.test\.ts$'
//                                         those e2e suites on one platform, as the whole run runs them
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { repoRoot, stateDir } from './lib/paths.mjs';

const run = (cmd, args) => spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', env: process.env }).status ?? 1;
/** The same, without blocking this process: the platform it started keeps writing to it meanwhile. */
const runAsync = (cmd, args, env = process.env, logFile = undefined) =>
  new Promise((resolve) => {
    const out = logFile ? openSync(logFile, 'w') : undefined;
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: out === undefined ? 'inherit' : ['ignore', out, out], env });
    child.on('exit', (code, signal) => {
      if (out !== undefined) closeSync(out);
      resolve(code ?? (signal ? 1 : 0));
    });
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
// platform of its own. Component suites run one at a time: they could share the broker (each jest
// worker's test platforms have topics of their own), but two at a time on two cores the checkout
// component suite's hundred racing checkouts beside the dev-runner suite's whole platform failed
// (timeouts and 500s of an overloaded inventory), where one at a time they pass. Unit and delivery
// suites (no sidecar, no platform: pure code, and helm, the manifest checkers and npm installs of
// the images) run beside them, in a jest of their own: ~95 s that no longer wait for the ~250 s of
// component suites.
const ALONE = 'e2e/(restart|outage|gateway|hostile-requests|loopback-only)\\.e2e\\.test\\.ts$';
const everything = process.argv.length <= 2;
const e2eIgnore = ['--testPathIgnorePatterns', '/node_modules/', '<rootDir>/web/.next/'];
/**
 * `--e2e <pattern>`: the e2e suites whose path matches, on one platform as the whole run has it: those
 * that may share it two at a time, then those that must run alone (.ci/run's profile runs).
 */
const e2eOnly = process.argv[2] === '--e2e' ? process.argv[3] : undefined;
if (process.argv[2] === '--e2e' && (!e2eOnly || process.argv.length > 4)) {
  console.error('usage: node scripts/test.mjs --e2e <pattern of e2e suite paths>');
  process.exit(2);
}
/** The e2e suites of the repository whose path matches `pattern` and (not) ALONE, as exact paths for jest. */
function e2eSuites(pattern, alone) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.e2e.test.ts')) found.push(relative(repoRoot, path));
    }
  };
  walk(join(repoRoot, 'e2e'));
  return found.filter((f) => new RegExp(pattern).test(f) && new RegExp(ALONE).test(f) === alone).sort();
}
/**
 * Each pass is a list of jest runs started together (each with its own arguments); passes run one
 * after another. `platform`: the pass needs the e2e platform, started once for every such pass.
 */
const passes = e2eOnly
  ? [
      { platform: true, runs: [['--selectProjects', 'e2e', '--maxWorkers=2', '--runTestsByPath', ...e2eSuites(e2eOnly, false)]] },
      { platform: true, runs: [['--selectProjects', 'e2e', '--runInBand', '--runTestsByPath', ...e2eSuites(e2eOnly, true)]] },
    ].filter((p) => p.runs[0].length > 4)
  : everything
    ? [
        { runs: [['--selectProjects', 'component', '--runInBand'], ['--selectProjects', 'unit', 'delivery', '--runInBand']] },
        { platform: true, runs: [['--selectProjects', 'e2e', '--maxWorkers=2', ...e2eIgnore, ALONE]] },
        { platform: true, runs: [['--selectProjects', 'e2e', '--runInBand', '--testPathPatterns', ALONE]] },
      ]
    : [{ runs: [process.argv.slice(2)] }];
if (passes.length === 0) {
  console.error(`no e2e suite matches ${e2eOnly}`);
  process.exit(1);
}

// for the whole run, the e2e passes share one platform, started here as jest's global setup would
// start it (and that setup, seeing EMPORIUM_E2E_PLATFORM, leaves it alone)
const require = createRequire(import.meta.url);
let platformUp = false;

let passed = 0;
let failed = 0;
let skipped = 0;
let status = 0;
let index = 0;
for (const pass of passes) {
  if (pass.platform && !platformUp) {
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
  const env = pass.platform ? { ...process.env, EMPORIUM_E2E_PLATFORM: 'running' } : process.env;
  // runs beside the first write their output to a file, shown once the pass has ended (no interleaved lines)
  const runs = pass.runs.map((args, n) => {
    const results = join(stateDir, `jest-results-${index++}.json`);
    rmSync(results, { force: true });
    const log = n === 0 ? undefined : join(stateDir, `jest-output-${index - 1}.log`);
    return { results, log, done: runAsync(process.execPath, [jest, '--ci', '--json', `--outputFile=${results}`, ...args], env, log) };
  });
  for (const run of runs) {
    const code = await run.done;
    if (run.log) process.stdout.write(readFileSync(run.log, 'utf8'));
    status ||= code;
    if (existsSync(run.results)) {
      const r = JSON.parse(readFileSync(run.results, 'utf8'));
      passed += r.numPassedTests;
      failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
      skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
      // jest failed without a failing test (a setup that threw, a suite that did not load): count it
      if (code !== 0 && r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) === 0) failed += 1;
    } else {
      failed += 1; // the run died before it could report
    }
  }
}
if (platformUp) await require(join(repoRoot, 'e2e', 'global-teardown.cjs'))();
if (passed === 0) console.error('no test ran');
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status === 0 && failed === 0 && passed > 0 ? 0 : 1);
