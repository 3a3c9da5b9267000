import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedFiles } from './documents';
import { lazyIndexFile, lazyIndexSource } from './lazy-index';

/** Writes contracts/generated from the schemas; run by `npm run contracts:generate`. */
const outDir = join(__dirname, '..', '..', 'generated');
rmSync(outDir, { recursive: true, force: true });
const files = generatedFiles();
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(outDir, path)), { recursive: true });
  writeFileSync(join(outDir, path), text);
}
console.log(`wrote ${Object.keys(files).length} files to ${outDir}`);

writeFileSync(lazyIndexFile, lazyIndexSource());
console.log(`wrote ${lazyIndexFile} (run tsc -b again to build it)`);
