import { readFileSync } from 'node:fs';
import { pinyin } from 'pinyin-pro';
import { PinyinTable } from './pinyin';
import { pinyinDataFile, pinyinDataSource } from './pinyin-generate';

const pro = (text: string) => pinyin(text, { toneType: 'none', type: 'array', v: true });

describe('PinyinTable', () => {
  const table = new PinyinTable();

  it('when pinyin-pro or jieba change, then the checked-in table is made again (npm run pinyin:generate -w @emporium/search)', () => {
    expect(readFileSync(pinyinDataFile, 'utf8')).toBe(pinyinDataSource());
  });

  it('when a word of the catalogue is read, then it reads as pinyin-pro reads it, polyphones by their word', () => {
    for (const word of ['青瓷', '茶壶', '品茗杯', '银行', '重庆', '长城', '行长', '音乐', '快乐', '自行车', '重量', '长度', '便宜', '女鞋', '绿茶', '旅行箱', '乾隆', '茶', '杯']) {
      expect({ word, spelt: table.word(word) }).toEqual({ word, spelt: pro(word) });
    }
  });

  it('when a character has no reading, then it stays as it is; one beyond the common block is read too', () => {
    expect(table.word('T恤')).toEqual(['T', 'xu']);
    expect(table.character('a')).toBeUndefined();
    expect([table.character('𠅤'), pro('𠅤')[0]]).toEqual(['xi', 'xi']);
    expect([table.character('𠀋'), pro('𠀋')[0]]).toEqual([undefined, '𠀋']);
  });

  it('when built, then it holds every character pinyin-pro reads in the common block and the words it reads otherwise', () => {
    let common = 0;
    for (let cp = 0x4e00; cp <= 0x9fff; cp++) {
      const c = String.fromCodePoint(cp);
      const p = pro(c)[0];
      if (p && p !== c) {
        common++;
        if (table.character(c) !== p) throw new Error(`${c}: ${table.character(c)} ≠ ${p}`);
      }
    }
    expect(common).toBeGreaterThan(20_000);
    expect(table.size.words).toBeGreaterThan(3_000);
  });
});
