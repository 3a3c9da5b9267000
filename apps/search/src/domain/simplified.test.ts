import { readFileSync } from 'node:fs';
import { Converter } from 'opencc-js/t2cn';
import { SimplifiedConverter } from './simplified';
import { simplifiedDataFile, simplifiedDataSource } from './simplified-generate';

const opencc = (Converter as (options: { from: string; to: string }) => (text: string) => string)({ from: 't', to: 'cn' });

describe('SimplifiedConverter', () => {
  const converter = new SimplifiedConverter();

  it('when opencc-js changes, then the checked-in dictionaries are made again (npm run simplified:generate -w @emporium/search)', () => {
    expect(readFileSync(simplifiedDataFile, 'utf8')).toBe(simplifiedDataSource());
  });

  it('when every source of its dictionaries is converted, alone and run together, then it answers as opencc-js does', () => {
    const sources = readFileSync(simplifiedDataFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes(' ') && !line.startsWith('#') && !line.startsWith('//') && !line.startsWith('/**') && !line.startsWith('export'))
      .map((line) => line.split(' ')[0]!);
    expect(sources.length).toBeGreaterThan(4_000);
    const differ = sources.filter((s) => converter.convert(s) !== opencc(s));
    expect(differ).toEqual([]);
    // runs of neighbouring entries, so longer matches and their edges meet
    for (let i = 0; i + 7 <= sources.length; i += 7) {
      const text = sources.slice(i, i + 7).join('');
      expect({ text, ours: converter.convert(text) }).toEqual({ text, ours: opencc(text) });
    }
  });

  it('when product text in traditional characters is folded, then it reads as opencc-js reads it', () => {
    for (const text of ['復古青瓷品茗杯', '景德鎮手繪青花瓷茶壺', '乾隆年間 乾燥 乾杯', '電腦 滑鼠 硬碟 記憶體', '針織衫 髮夾 頭髮 發展', '台灣 臺灣 颱風', 'Tea 茶葉 100g ⿰氵每', '𠅤 𡃄 𣈶', '']) {
      expect({ text, ours: converter.convert(text) }).toEqual({ text, ours: opencc(text) });
    }
  });
});
