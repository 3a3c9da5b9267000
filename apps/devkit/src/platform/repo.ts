import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout's root: the nearest folder upward holding dapr.yaml. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'dapr.yaml')) && existsSync(join(dir, 'components'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no Emporium checkout above ${from}`);
    dir = parent;
  }
}

export interface DaprBinaries {
  version: string;
  daprd: string;
  placement: string;
  scheduler: string;
  /** Absent in a runtime built before Sentry joined the build. */
  sentry?: string;
}

/** Where `npm run dapr:build` put the runtime (EMPORIUM_DAPR_BIN_DIR overrides). */
export function daprBinaries(root: string = repoRoot()): DaprBinaries {
  let binDir = process.env.EMPORIUM_DAPR_BIN_DIR;
  let version = 'unknown';
  if (!binDir) {
    const pointer = join(root, '.emporium', 'dapr.json');
    if (!existsSync(pointer)) throw new Error('the Dapr runtime is not built here: run `npm run dapr:build`');
    const manifest = JSON.parse(readFileSync(pointer, 'utf8')) as { binDir: string; version: string };
    binDir = manifest.binDir;
    version = manifest.version;
  }
  const bins = { version, daprd: join(binDir, 'daprd'), placement: join(binDir, 'placement'), scheduler: join(binDir, 'scheduler'), sentry: join(binDir, 'sentry') };
  for (const b of [bins.daprd, bins.placement, bins.scheduler, bins.sentry]) {
    if (!existsSync(b)) throw new Error(`${b} is missing: run \`npm run dapr:build\``);
  }
  return bins;
}
