// The judged query set of bench:search: what a shopper types, and which
// products of the generated catalogue (scripts/seed/catalogue.mjs) answer it —
// judged by intent, as rules over what each product is (its sub-category, its
// kind, its material, its style, its price), so the judgement holds for any
// number of products. A product the rule names is relevant (1), any other is not (0).
const sub = (...slugs) => (p) => slugs.includes(p.sub);
const kind = (...nouns) => (p) => nouns.includes(p.zhNoun);
const material = (m) => (p) => p.material === m;
const style = (s) => (p) => p.style === s;
const all = (...rules) => (p) => rules.every((r) => r(p));

export const QUERIES = [
  // Chinese words
  ['zh word', '茶壶', sub('teapots')],
  ['zh word', '品茗杯', kind('品茗杯')],
  ['zh word', '围巾', sub('scarves')],
  ['zh word', '台灯', kind('竹编台灯')],
  ['zh word', '衬衫', sub('shirts')],
  ['zh word', '笔记本', sub('notebooks')],
  ['zh word', '毛笔', kind('狼毫毛笔')],
  ['zh word', '钢笔', kind('钢笔')],
  ['zh word', '菜刀', kind('龙泉菜刀')],
  ['zh word', '砂锅', kind('砂锅')],
  ['zh word', '龙井', kind('西湖龙井')],
  ['zh word', '铁观音', kind('铁观音')],
  ['zh word', '钱包', sub('wallets')],
  ['zh word', '托特包', sub('totes')],
  ['zh word', '面膜', kind('米酵面膜')],
  ['zh word', '盖碗', sub('bowls')],
  ['zh word', '抱枕', kind('蓝染抱枕')],
  ['zh word', '连衣裙', sub('dresses')],
  ['zh word', '绿茶', sub('green-tea')],
  ['zh word', '红茶', sub('black-tea')],
  // Chinese phrases
  ['zh phrase', '青瓷品茗杯', all(kind('品茗杯'), material('青瓷'))],
  ['zh phrase', '紫砂西施壶', all(kind('西施壶'), material('紫砂'))],
  ['zh phrase', '手工围巾', all(sub('scarves'), style('手工'))],
  ['zh phrase', '复古台灯', all(kind('竹编台灯'), style('复古'))],
  ['zh phrase', '宋式盖碗', all(sub('bowls'), style('宋式'))],
  ['zh phrase', '日式铸铁锅', all(kind('铸铁锅'), style('日式'))],
  ['zh phrase', '亚麻衬衫', kind('亚麻衬衫')],
  ['zh phrase', '羊毛围巾', kind('羊毛围巾')],
  // English
  ['english', 'teapot', sub('teapots')],
  ['english', 'scarf', sub('scarves')],
  ['english', 'linen shirt', kind('亚麻衬衫')],
  ['english', 'notebook', sub('notebooks')],
  ['english', 'fountain pen', kind('钢笔')],
  ['english', 'bamboo lamp', kind('竹编台灯')],
  ['english', 'wallet', sub('wallets')],
  ['english', 'celadon cup', all(material('青瓷'), kind('品茗杯', '主人杯'))],
  ['english', 'cast-iron pot', kind('铸铁锅')],
  ['english', 'soap', sub('soap')],
  // pinyin, in full
  ['pinyin', 'chahu', sub('teapots')],
  ['pinyin', 'weijin', sub('scarves')],
  ['pinyin', 'pinmingbei', kind('品茗杯')],
  ['pinyin', 'taideng', kind('竹编台灯')],
  ['pinyin', 'qianbao', sub('wallets')],
  ['pinyin', 'longjing', kind('西湖龙井')],
  ['pinyin', 'qingci', material('青瓷')],
  ['pinyin', 'maobi', kind('狼毫毛笔')],
  // pinyin initials
  ['initials', 'pmb', kind('品茗杯')],
  ['initials', 'xsh', kind('西施壶')],
  ['initials', 'ztg', kind('铸铁锅')],
  ['initials', 'tgy', kind('铁观音')],
  // typos
  ['typo', 'teapto', sub('teapots')],
  ['typo', 'scraf', sub('scarves')],
  ['typo', 'notbook', sub('notebooks')],
  ['typo', 'lantren', kind('纸灯笼')],
  ['typo', 'walet', sub('wallets')],
  ['typo', 'celadn', material('青瓷')],
  // traditional characters
  ['traditional', '茶壺', sub('teapots')],
  ['traditional', '圍巾', sub('scarves')],
  ['traditional', '錢包', sub('wallets')],
  ['traditional', '檯燈', kind('竹编台灯')],
  ['traditional', '筆記本', sub('notebooks')],
  // with filters
  ['filter', '茶壶', all(sub('teapots'), (p) => p.price <= 30_000), { maxPrice: 30_000 }],
  ['filter', 'scarf', all(sub('scarves'), (p) => p.price >= 20_000), { minPrice: 20_000 }],
  ['filter', '品茗杯', all(kind('品茗杯'), (p) => p.price >= 5_000 && p.price <= 10_000), { minPrice: 5_000, maxPrice: 10_000 }],
].map(([group, q, relevant, filters = {}]) => ({ group, q, relevant, filters }));

/** nDCG@k with binary relevance: the ranking's gain against the best possible for as many relevant products. */
export function ndcg(ranked, isRelevant, relevantCount, k = 10) {
  const dcg = ranked.slice(0, k).reduce((s, id, i) => s + (isRelevant(id) ? 1 / Math.log2(i + 2) : 0), 0);
  const ideal = Array.from({ length: Math.min(k, relevantCount) }, (_, i) => 1 / Math.log2(i + 2)).reduce((a, b) => a + b, 0);
  return ideal === 0 ? (ranked.length === 0 ? 1 : 0) : dcg / ideal;
}

/** Recall@k, of what ten answers could hold: relevant products among the first k over min(k, relevant products). */
export function recall(ranked, isRelevant, relevantCount, k = 10) {
  const hits = ranked.slice(0, k).filter(isRelevant).length;
  return relevantCount === 0 ? (ranked.length === 0 ? 1 : 0) : hits / Math.min(k, relevantCount);
}
