import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataModuleFile, dataModuleSource, writeDataModule } from './data-module';

type Dictionary = string | (readonly [string, string])[];
interface OpenccT2cn {
  Locale: { configs: { t2s: { normalizationChain: Dictionary[][]; conversionChain: Dictionary[][] } } };
}

function entriesOf(dictionary: Dictionary): [string, string][] {
  if (typeof dictionary !== 'string') return dictionary.map(([a, b]) => [a, b]);
  return dictionary
    .split('|')
    .filter(Boolean)
    .map((entry) => entry.split(' ') as [string, string]);
}

/**
 * The source of `simplified-data.ts`: opencc-js's `t2s` configuration (what
 * `Converter({ from: 't', to: 'cn' })` runs), a stage per dictionary group,
 * each source once with the value opencc-js's trie would hold for it.
 */
export function simplifiedDataSource(): string {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const opencc = require('opencc-js/t2cn') as OpenccT2cn;
  /* eslint-enable @typescript-eslint/no-require-imports */
  // (its package.json is not exported: read beside its UMD build, dist/umd/t2cn.js)
  const { version } = JSON.parse(readFileSync(join(dirname(require.resolve('opencc-js/t2cn')), '..', '..', 'package.json'), 'utf8')) as { version: string };
  const { normalizationChain, conversionChain } = opencc.Locale.configs.t2s;
  // as opencc-js loads a group: its dictionaries from the last to the first, each entry over an earlier one of the same source
  const stages = [...normalizationChain, ...conversionChain].map((group) => {
    const entries = new Map<string, string>();
    for (const dictionary of [...group].reverse()) for (const [from, to] of entriesOf(dictionary)) entries.set(from, to);
    return [...entries];
  });
  const odd = stages.flat().find(([from, to]) => !from || !to || /\s/.test(from + to));
  if (odd) throw new Error(`an entry a "source value" line cannot hold: ${JSON.stringify(odd)}`);
  return dataModuleSource({
    name: 'simplified-data',
    constant: 'SIMPLIFIED_DATA',
    readBy: '`SimplifiedConverter` (simplified.ts)',
    comment: `opencc-js ${version}, t2s: ${stages.map((s) => s.length).join(' + ')} entries`,
    sections: stages.map((entries, n) => ({ name: `stage ${n + 1}`, lines: entries.map(([from, to]) => `${from} ${to}`) })),
  });
}

export const simplifiedDataFile = dataModuleFile('simplified-data');

if (require.main === module) writeDataModule('simplified-data', simplifiedDataSource());
