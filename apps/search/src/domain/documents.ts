import type { BilingualText, Category, ProductSnapshot } from '@emporium/contracts';
import type { IndexDocument } from '../data/search-repository';
import type { Analyzer } from './analyzer';
import { lexeme } from './query';

/** At most this many description words are kept per product (the name and brand are always whole). */
const MAX_DESCRIPTION_WORDS = 400;

/**
 * A product snapshot as the index stores it. Lexemes carry weights: the name
 * (both languages, its pinyin) A; brand and category names B; description and
 * attributes C; single Chinese characters of the name D (so one character, or
 * a word jieba split otherwise, still finds it, ranked lowest).
 */
export function documentOf(analyzer: Analyzer, product: ProductSnapshot, categories: ReadonlyMap<string, Category>): { doc: IndexDocument; vocabulary: string[]; labels: { spec: string; value: string; name: BilingualText }[] } {
  const both = (t: BilingualText) => `${t['zh-CN']} ${t.en}`;
  const categoryNames = product.categoryPath.flatMap((id) => {
    const c = categories.get(id);
    return c ? [both(c.name)] : [];
  });
  const a = [...analyzer.words(both(product.name)), ...analyzer.pinyinWords(product.name['zh-CN'])];
  const b = [...analyzer.words(product.brand), ...analyzer.pinyinWords(product.brand), ...categoryNames.flatMap((n) => [...analyzer.words(n), ...analyzer.pinyinWords(n)])];
  const c = [
    ...analyzer.words(both(product.description)),
    ...product.attributes.flatMap((x) => analyzer.words(`${both(x.name)} ${both(x.value)}`)),
    ...product.specs.flatMap((s) => s.values.flatMap((v) => analyzer.words(both(v.name)))),
  ].slice(0, MAX_DESCRIPTION_WORDS);
  const d = analyzer.characters(product.name['zh-CN']);
  const active = product.skus.filter((s) => s.active);
  const prices = active.map((s) => s.price.amount);
  const doc: IndexDocument = {
    productId: product.id,
    shopId: product.shopId,
    categoryId: product.categoryId,
    categoryPath: product.categoryPath,
    name: product.name,
    brand: product.brand,
    image: product.images[0] ?? null,
    currency: product.currency,
    minPrice: prices.length ? Math.min(...prices) : null,
    maxPrice: prices.length ? Math.max(...prices) : null,
    specValues: [...new Set(active.flatMap((s) => Object.entries(s.specValues).map(([k, v]) => `${k}:${v}`)))],
    skuIds: product.skus.map((s) => s.id),
    lexemes: tsvectorLiteral([
      [a, 'A'],
      [b, 'B'],
      [c, 'C'],
      [d, 'D'],
    ]),
    rankLexemes: tsvectorLiteral([
      [a, 'A'],
      [b, 'B'],
    ]),
    version: new Date(product.updatedAt),
    publishedAt: new Date(product.publishedAt ?? product.updatedAt),
  };
  const vocabulary = [...new Set([...a, ...b].filter((w) => /^[a-z0-9]{3,40}$/.test(w) && !/^\d+$/.test(w)))];
  const labels = product.specs.flatMap((s) => [{ spec: s.key, value: '', name: s.name }, ...s.values.map((v) => ({ spec: s.key, value: v.key, name: v.name }))]);
  return { doc, vocabulary, labels };
}

/**
 * A tsvector literal: each word once, at the weight of the first group that
 * holds it, with a position (ts_rank reads weights from positions).
 */
export function tsvectorLiteral(groups: readonly (readonly [readonly string[], 'A' | 'B' | 'C' | 'D'])[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  let position = 1;
  for (const [words, weight] of groups) {
    for (const w of words) {
      if (!w || seen.has(w) || Buffer.byteLength(w) > 200) continue;
      seen.add(w);
      out.push(`${lexeme(w)}:${Math.min(position++, 16383)}${weight}`);
    }
  }
  return out.join(' ');
}
