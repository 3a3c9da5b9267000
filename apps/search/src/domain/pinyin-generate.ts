import { readFileSync } from 'node:fs';
import type * as PinyinPro from 'pinyin-pro';
import { dataModuleFile, dataModuleSource, writeDataModule } from './data-module';

/** pinyin-pro's reading, toneless with ü as v: a devDependency, used only to make the table. */
type Spell = (text: string) => string[];

function pinyinPro(): { spell: Spell; version: string } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { pinyin } = require('pinyin-pro') as typeof PinyinPro;
  const { version } = require('pinyin-pro/package.json') as { version: string };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { spell: (text) => pinyin(text, { toneType: 'none', type: 'array', v: true }), version };
}

const HAN_WORD = /^\p{Script=Han}+$/u;
/** Where pinyin-pro has readings: the common blocks, the compatibility ideographs, the radicals, 〇 and the supplementary planes' ideographs. */
const RANGES: readonly (readonly [number, number])[] = [[0x2f00, 0x2fdf], [0x3007, 0x3007], [0x3400, 0x9fff], [0xf900, 0xfaff], [0x20000, 0x2ebef]];

/**
 * The source of `pinyin-data.ts`: every character pinyin-pro reads, grouped
 * by its first reading, then every word of jieba's whole dictionary that
 * pinyin-pro reads otherwise than character by character.
 */
export function pinyinDataSource({ spell, version } = pinyinPro(), dictionary = require.resolve('@node-rs/jieba/dict.txt')): string {
  const bySyllable = new Map<string, string[]>();
  const reading = new Map<string, string>();
  for (const [from, to] of RANGES) {
    for (let cp = from; cp <= to; cp++) {
      const c = String.fromCodePoint(cp);
      const p = spell(c)[0];
      if (!p || p === c || !/^[a-z]+$/.test(p)) continue;
      reading.set(c, p);
      const list = bySyllable.get(p) ?? [];
      list.push(c);
      bySyllable.set(p, list);
    }
  }
  const words: string[] = [];
  for (const line of readFileSync(dictionary, 'utf8').split('\n')) {
    const word = line.slice(0, line.indexOf(' '));
    if (!HAN_WORD.test(word) || Array.from(word).length < 2) continue;
    const spelt = spell(word);
    const plain = Array.from(word, (c) => reading.get(c) ?? c);
    if (spelt.length === plain.length && spelt.every((s) => /^[a-z]+$/.test(s)) && spelt.join(' ') !== plain.join(' ')) words.push(`${word} ${spelt.join(' ')}`);
  }
  return dataModuleSource({
    name: 'pinyin-data',
    constant: 'PINYIN_DATA',
    readBy: '`PinyinTable` (pinyin.ts)',
    comment: `pinyin-pro ${version}: ${reading.size} characters by their most common reading, then the ${words.length} words of jieba's dictionary it reads otherwise`,
    sections: [
      { name: 'characters', lines: [...bySyllable].sort(([a], [b]) => a.localeCompare(b)).map(([syllable, chars]) => `${syllable} ${chars.join('')}`) },
      { name: 'words', lines: words.sort() },
    ],
  });
}

export const pinyinDataFile = dataModuleFile('pinyin-data');

if (require.main === module) writeDataModule('pinyin-data', pinyinDataSource());
