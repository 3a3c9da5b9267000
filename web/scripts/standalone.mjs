// After `next build`: completes the standalone server (.next/standalone) with
// the static assets it does not copy itself and web's own server beside Next's
// (main.js: the /api/v1 gateway in front of Next.js, gateway-bundle.mjs), so
// that `node main.js` inside it serves everything. The runner (dapr.yaml) and
// the image start that same file.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleGateway } from './gateway-bundle.mjs';

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
await bundleGateway(join(server, 'main.js'));
