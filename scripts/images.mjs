#!/usr/bin/env node
// Lists the container images to build, one per app in dapr.yaml, one per outside
// party in externals.yaml (built as a service is, from its folder under apps/;
// marked `external: true`, as it runs without a sidecar: the chart's externals)
// and the sidecar's (tools/dapr's daprd, which the chart's dapr.sidecar.image
// names), with the `docker build` command of each (run them where a container engine is).
//
//   npm run images                       the commands
//   npm run images -- --json             the list as JSON (tests, CI pipelines)
//   npm run images -- --registry ghcr.io/acme --tag 1.2.0
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './lib/paths.mjs';

const { values } = parseArgs({
  options: { json: { type: 'boolean', default: false }, registry: { type: 'string', default: '' }, tag: { type: 'string', default: 'dev' } },
});
const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'apps/devkit'], { cwd: repoRoot, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const { appImages, dockerBuildArgs, imageOf, readExternals, sidecarImage } = createRequire(import.meta.url)(join(repoRoot, 'apps', 'devkit', 'dist', 'platform', 'index.js'));
// the same rule as an app's: apps/<name> builds the Dockerfile's service stages with APP=<name>
const externalImage = (e) => ({ ...imageOf(repoRoot, { appID: e.name, appDirPath: e.dir, appPort: e.port, command: e.command }, 'externals.yaml'), external: true });
const images = [...appImages(repoRoot), ...readExternals(repoRoot).map(externalImage), sidecarImage()];
if (values.json) {
  console.log(JSON.stringify(images.map((i) => ({ ...i, docker: ['docker', ...dockerBuildArgs(i, values.tag, values.registry)] })), null, 2));
} else {
  for (const i of images) console.log(['docker', ...dockerBuildArgs(i, values.tag, values.registry)].join(' '));
}
