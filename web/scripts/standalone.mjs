// After `next build`: completes the standalone server (.next/standalone) with
// the static assets it does not copy itself, so that `node server.js` inside it
// serves everything. The runner (dapr.yaml) and the image start that same file.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
// outputFileTracingRoot is the repository, so the server sits under web/
const server = join(web, '.next', 'standalone', 'web');
if (!existsSync(join(server, 'server.js'))) throw new Error(`next build left no ${server}/server.js`);
for (const dir of [join('.next', 'static'), 'public']) {
  const from = join(web, dir);
  if (!existsSync(from)) continue;
  rmSync(join(server, dir), { recursive: true, force: true });
  cpSync(from, join(server, dir), { recursive: true });
}
