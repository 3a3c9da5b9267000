#!/usr/bin/env node
// `npm test`: every tier against real infrastructure. Builds the Dapr runtime
// first when this machine has none (the runner needs real sidecars), then runs
// jest and prints one line `tests: N passed, N failed`.
//   npm test                      unit + component tests
//   npm test -- --selectProjects unit
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { daprPointerFile, repoRoot, stateDir } from './lib/paths.mjs';

const run = (cmd, args) => spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' }).status ?? 1;

if (!existsSync(daprPointerFile) && run(process.execPath, [join(repoRoot, 'scripts', 'dapr-build.mjs')]) !== 0) {
  console.error('the Dapr runtime could not be built; see the output above');
  process.exit(1);
}

mkdirSync(stateDir, { recursive: true });
const results = join(stateDir, 'jest-results.json');
const jest = join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js');
const status = run(process.execPath, [jest, '--ci', '--json', `--outputFile=${results}`, ...process.argv.slice(2)]);

let passed = 0;
let failed = 0;
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(status === 0 && failed === 0 && passed > 0 ? 0 : 1);
