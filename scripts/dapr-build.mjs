#!/usr/bin/env node
// Builds daprd, placement, scheduler and sentry from the Go module in tools/dapr into a
// cache folder outside git, stamped by the inputs; a second call with the same
// inputs returns at once. Writes .emporium/dapr.json so tests and the runner
// find the binaries.
//
//   npm run dapr:build                 lean daprd (only our components), placement, scheduler, sentry
//   npm run dapr:build -- --force      rebuild even when the stamp matches
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildGoModule, mib, moduleCommit, requiredVersion } from './lib/go-build.mjs';
import { repoRoot } from './lib/paths.mjs';

const moduleDir = join(repoRoot, 'tools', 'dapr');
const daprVersion = requiredVersion(moduleDir, 'github.com/dapr/dapr');
const version = daprVersion.slice(1);
const commit = moduleCommit(moduleDir, 'github.com/dapr/dapr', daprVersion);
const ldflags = [
  '-s -w',
  `-X github.com/dapr/dapr/pkg/buildinfo.version=${version}`,
  `-X github.com/dapr/dapr/pkg/buildinfo.gitversion=${daprVersion}`,
  `-X github.com/dapr/dapr/pkg/buildinfo.gitcommit=${commit}`,
  `-X github.com/dapr/kit/logger.DaprVersion=${version}`,
].join(' ');

const { binDir, manifest, built } = buildGoModule({
  name: 'dapr',
  moduleDir,
  version,
  commands: { daprd: './cmd/daprd', placement: './cmd/placement', scheduler: './cmd/scheduler', sentry: './cmd/sentry' },
  // the scheduler's lease arithmetic (cmd/scheduler/leadership.go); a test of a command itself would link the runtime
  tests: ['./internal/...'],
  ldflags,
  force: process.argv.includes('--force'),
  info: { commit },
  verify: (bin) => {
    const reported = execFileSync(join(bin, 'daprd'), ['--version'], { encoding: 'utf8' }).trim();
    if (reported !== version) throw new Error(`built daprd reports ${reported}, expected ${version}`);
  },
});
if (built) {
  console.log(`dapr ${version} built in ${manifest.buildSeconds}s: ${Object.entries(manifest.sizes).map(([c, s]) => `${c} ${mib(s)}`).join(', ')}`);
} else {
  console.log(`dapr ${manifest.version} already built: ${binDir}`);
}
