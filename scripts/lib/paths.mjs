// Paths shared by the project's scripts. Plain JS so they run before any build.
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Machine-local state of this checkout (logs, pointers, embedded data); gitignored. */
export const stateDir = join(repoRoot, '.emporium');
/** Cache outside git that survives new clones on the same machine. */
export const cacheRoot = process.env.EMPORIUM_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'emporium');
/** Written by dapr-build: where the daprd, placement and scheduler binaries are. */
export const daprPointerFile = join(stateDir, 'dapr.json');
