#!/usr/bin/env node
// Builds the delivery tools from their Go modules, cached like the Dapr
// binaries (outside git, stamped by their inputs; a second call returns at once):
//   helm             tools/helm       helm.sh/helm/v4/cmd/helm, version set by ldflags
//   manifestcheck    tools/manifests  strict decoding against Kubernetes and Dapr types
//   tiltcheck        tools/manifests  evaluates the Tiltfile with go.starlark.net
//   dockerfilecheck  tools/manifests  BuildKit's Dockerfile parser and linter
// Pointers: .emporium/helm.json and .emporium/manifests.json.
//
//   npm run tools:build [-- --force]
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildGoModule, mib, moduleCommit, requiredVersion } from './lib/go-build.mjs';
import { repoRoot } from './lib/paths.mjs';

const force = process.argv.includes('--force');

const helmDir = join(repoRoot, 'tools', 'helm');
const helmVersion = requiredVersion(helmDir, 'helm.sh/helm/v4');
const helmCommit = moduleCommit(helmDir, 'helm.sh/helm/v4', helmVersion);
const helm = buildGoModule({
  name: 'helm',
  moduleDir: helmDir,
  version: helmVersion,
  commands: { helm: 'helm.sh/helm/v4/cmd/helm' },
  ldflags: [
    '-s -w',
    `-X helm.sh/helm/v4/internal/version.version=${helmVersion}`,
    `-X helm.sh/helm/v4/internal/version.gitCommit=${helmCommit}`,
    '-X helm.sh/helm/v4/internal/version.gitTreeState=clean',
  ].join(' '),
  force,
  info: { commit: helmCommit },
  verify: (bin) => {
    const reported = execFileSync(join(bin, 'helm'), ['version', '--template', '{{.Version}}'], { encoding: 'utf8' }).trim();
    if (reported !== helmVersion) throw new Error(`built helm reports ${reported}, expected ${helmVersion}`);
  },
});

const manifestsDir = join(repoRoot, 'tools', 'manifests');
const checks = buildGoModule({
  name: 'manifests',
  moduleDir: manifestsDir,
  version: 'dapr' + requiredVersion(manifestsDir, 'github.com/dapr/dapr'),
  commands: { manifestcheck: './cmd/manifestcheck', tiltcheck: './cmd/tiltcheck', dockerfilecheck: './cmd/dockerfilecheck' },
  force,
});

for (const [what, r] of [['helm', helm], ['manifest checks', checks]]) {
  const sizes = Object.entries(r.manifest.sizes).map(([c, s]) => `${c} ${mib(s)}`).join(', ');
  console.log(r.built ? `${what} built in ${r.manifest.buildSeconds}s: ${sizes}` : `${what} already built: ${r.binDir}`);
}
