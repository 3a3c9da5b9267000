import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyzer, trimmedDictionary } from './analyzer';
import { documentOf, tsvectorLiteral } from './documents';
import { highlight } from './highlight';
import { editDistance, readQuery, synonymMap, toTsquery, termsOf } from './query';

const analyzer = new Analyzer({ dictionaryMinFrequency: 20 });
const noVocabulary = { knowsPrefix: () => Promise.resolve(true), closest: () => Promise.resolve([]) };

describe("jieba's trimmed dictionary", () => {
  const keptLines = (text: string, min: number): string => text.split('\n').filter((line) => line !== '' && Number(line.split(' ')[1] ?? -1) >= min).map((line) => `${line}\n`).join('');

  it('when lines cross the windows read, then exactly the lines used often enough are kept, the last one without its newline too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dict-'));
    const text = '一 5 m\n二二 20 n\n三三三 21 v\nno-frequency\n四 19 n\n五五 200 nz\n六 20';
    writeFileSync(join(dir, 'dict.txt'), text);
    for (const window of [16, 17, 23, 64]) {
      expect(trimmedDictionary(join(dir, 'dict.txt'), 20, window).toString()).toBe('二二 20 n\n三三三 21 v\n五五 200 nz\n六 20\n');
    }
    expect(trimmedDictionary(join(dir, 'dict.txt'), 0).toString()).toBe(text);
  });

  it("when jieba's own dictionary is trimmed, then it keeps what a filter of its lines keeps", () => {
    const file = require.resolve('@node-rs/jieba/dict.txt');
    expect(trimmedDictionary(file, 20).toString()).toBe(keptLines(readFileSync(file, 'utf8'), 20));
  });
});

describe('the analyzer', () => {
  it('when Chinese is segmented for the index, then whole words and the words inside them are kept', () => {
    const words = analyzer.words('景德镇手工青瓷茶壶');
    expect(words).toEqual(expect.arrayContaining(['景德镇', '手工', '青瓷', '茶壶']));
  });

  it('when text is traditional, full-width or upper case, then it folds to the simplified lower-case form', () => {
    expect(analyzer.fold('青瓷壺 ＩＰＨＯＮＥ')).toBe('青瓷壶 iphone');
    expect(analyzer.words('藍牙耳機')).toEqual(analyzer.words('蓝牙耳机'));
  });

  it('when Chinese is spelt, then each word and each run comes in full pinyin and by initials', () => {
    const spelt = analyzer.pinyinWords('青瓷茶壶');
    expect(spelt).toEqual(expect.arrayContaining(['qingcichahu', 'qcch', 'qingci', 'qc', 'chahu', 'ch']));
  });

  it('when a brand is added, then jieba keeps it whole', () => {
    expect(analyzer.words('茶语堂青瓷')).not.toContain('茶语堂');
    analyzer.addWords(['茶语堂']);
    expect(analyzer.words('茶语堂青瓷')).toContain('茶语堂');
  });
});

describe('reading a query', () => {
  const synonyms = synonymMap(analyzer, [['茶壶', 'teapot'], ['T-shirt', 'tee']]);

  it('when a word has synonyms, then any of them may match and a Latin word matches as a prefix', async () => {
    const groups = await readQuery(analyzer, synonyms, noVocabulary, '青瓷 Teapot');
    expect(groups.map((g) => g.word)).toEqual(['青瓷', 'teapot']);
    expect(groups[1]!.alternatives).toEqual(['teapot', '茶壶']);
    expect(toTsquery(groups)).toBe(`('青瓷' | ('青' & '瓷')) & ('teapot':* | ('茶壶' | ('茶' & '壶')))`);
  });

  it('when a Latin word starts no indexed word, then the nearest indexed words stand beside it', async () => {
    const vocabulary = { knowsPrefix: (w: string) => Promise.resolve(w !== 'teapto'), closest: () => Promise.resolve(['teapot']) };
    const groups = await readQuery(analyzer, new Map(), vocabulary, 'teapto');
    expect(termsOf(groups)).toEqual(['teapto', 'teapot']);
  });

  it('when a query holds quotes and backslashes, then they stay inside their lexemes', async () => {
    const groups = await readQuery(analyzer, new Map(), noVocabulary, "o'neil \\ x");
    expect(toTsquery(groups)).toBe("'o':* & 'neil':* & 'x':*");
    expect(toTsquery([{ word: "a'b\\", alternatives: ["a'b\\"], prefix: false }])).toBe("'a''b\\\\'");
  });

  it('when a multi-word synonym is read, then all its words must match', async () => {
    const groups = await readQuery(analyzer, synonyms, noVocabulary, 'tee');
    expect(toTsquery(groups)).toBe("('tee':* | ('t' & 'shirt'))");
  });
});

describe('typos', () => {
  it('when letters are swapped, dropped, added or wrong, then each counts as one edit', () => {
    expect([editDistance('scraf', 'scarf'), editDistance('walet', 'wallet'), editDistance('notbook', 'notebook'), editDistance('teapto', 'teapot'), editDistance('lantren', 'lantern')]).toEqual([1, 1, 1, 1, 1]);
    expect(editDistance('celadn', 'celadon')).toBe(1);
    expect(editDistance('cup', 'mug')).toBe(2);
  });
  it('when initials of words in a row are typed, then the index holds them from each word on', () => {
    expect(analyzer.pinyinWords('复古青瓷品茗杯')).toEqual(expect.arrayContaining(['pmb', 'pinmingbei', 'qcpmb', 'fgqcpmb']));
  });
});

describe('highlighting', () => {
  const text = (segments: { text: string; hit: boolean }[]) => segments.map((s) => (s.hit ? `[${s.text}]` : s.text)).join('');

  it('when terms match, then their pieces are marked whatever the case or script', () => {
    expect(text(highlight(analyzer, 'Celadon Teapot', ['teapot']))).toBe('Celadon [Teapot]');
    expect(text(highlight(analyzer, '青瓷壺', ['壶']))).toBe('青瓷[壺]');
  });

  it('when a Latin term spells Chinese in pinyin or by initials, then those characters are marked', () => {
    expect(text(highlight(analyzer, '景德镇青瓷茶壶', ['qingci']))).toBe('景德镇[青瓷]茶壶');
    expect(text(highlight(analyzer, '景德镇青瓷茶壶', ['qcch']))).toBe('景德镇[青瓷茶壶]');
    // as typed so far: the last syllable begun marks its character
    expect(text(highlight(analyzer, '景德镇青瓷茶壶', ['qingc']))).toBe('景德镇[青瓷]茶壶');
    expect(text(highlight(analyzer, '景德镇青瓷茶壶', ['q']))).toBe('景德镇[青]瓷茶壶');
  });
});

describe('documents', () => {
  it('when words repeat across weights, then each is kept once at its highest weight', () => {
    expect(tsvectorLiteral([[['壶', "it's"], 'A'], [['壶', 'b'], 'C']])).toBe("'壶':1A 'it''s':2A 'b':3C");
  });

  it('when a product is indexed, then its name, pinyin, brand, category and specs become lexemes and facets', () => {
    const categoryId = '0a4f2c7e-1b3d-4e5f-8a9b-0c1d2e3f4a5b';
    const { doc, vocabulary, labels } = documentOf(
      analyzer,
      {
        id: '1b5f3d8f-2c4e-4f60-9bac-1d2e3f4a5b6c', shopId: '2c6f4e90-3d5f-4071-8cbd-2e3f4a5b6c7d', categoryId, categoryPath: [categoryId],
        name: { 'zh-CN': '青瓷茶壶', en: 'Celadon teapot' }, description: { 'zh-CN': '手工拉坯', en: 'Hand thrown' }, brand: 'Longquan',
        attributes: [], specs: [{ key: 'colour', name: { 'zh-CN': '颜色', en: 'Colour' }, values: [{ key: 'green', name: { 'zh-CN': '青', en: 'Green' } }] }],
        skus: [{ id: '3d7f5fa0-4e6f-4182-9dce-3f4a5b6c7d8e', specValues: { colour: 'green' }, price: { amount: 12800, currency: 'CNY' }, originalPrice: null, barcode: 'QC-0001', weightGrams: 800, active: true, tiers: [] }],
        images: ['/media/a.png'], status: 'published', currency: 'CNY', minPrice: { amount: 12800, currency: 'CNY' }, updatedAt: '2026-12-01T00:00:00.000Z', publishedAt: '2026-11-30T00:00:00.000Z',
      },
      new Map([[categoryId, { id: categoryId, parentId: null, slug: 'tea', name: { 'zh-CN': '茶具', en: 'Tea ware' }, position: 0, path: [categoryId] }]]),
    );
    expect(doc.lexemes).toContain("'青瓷':");
    expect(doc.lexemes).toMatch(/'qingcichahu':\d+A/);
    expect(doc.lexemes).toMatch(/'茶具':\d+B/);
    expect(doc.lexemes).toMatch(/'手工':\d+C/);
    expect(doc.specValues).toEqual(['colour:green']);
    expect(doc.minPrice).toBe(12800);
    expect(vocabulary).toEqual(expect.arrayContaining(['celadon', 'teapot', 'qingci', 'longquan']));
    expect(labels).toContainEqual({ spec: 'colour', value: 'green', name: { 'zh-CN': '青', en: 'Green' } });
  });
});
