// Bundles web's server (gateway/src/main.ts: the /api/v1 gateway in front of
// Next.js) into one file with what it imports (contracts, zod, undici,
// ioredis), so the standalone build, which carries Next.js and nothing of
// ours, runs it as it is. Next.js stays outside: the build brings its own.
//   node scripts/gateway-bundle.mjs [out-file]     default gateway/dist/main.js
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function bundleGateway(outfile = join(web, 'gateway', 'dist', 'main.js')) {
  await build({
    entryPoints: [join(web, 'gateway', 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['next', 'next/*'],
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`bundled ${await bundleGateway(process.argv[2] ? resolve(process.argv[2]) : undefined)}`);
}
