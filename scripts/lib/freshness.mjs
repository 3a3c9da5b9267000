// Is a build output older than any of its inputs? Used by `npm run dev` to
// rebuild only what changed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(path, skip) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    if (skip.includes(name)) continue;
    max = Math.max(max, newest(join(path, name), skip));
  }
  return max;
}

/** True when `output` is missing or older than the newest file under `inputs`. */
export function stale(output, inputs, skip = ['node_modules', '.next', 'dist']) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((input) => newest(input, skip) > built);
}
