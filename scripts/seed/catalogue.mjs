// The demo catalogue: categories with spec templates, shops, and products
// made from bilingual word lists by a seeded random generator (the same
// catalogue on every machine), each with its kind of picture and colour.
const t = (zh, en) => ({ 'zh-CN': zh, en });
const v = (key, zh, en, colour) => ({ key, name: t(zh, en), ...(colour ? { colour } : {}) });

/** Mulberry32: a small seeded generator, so every seed makes the same catalogue. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const colours = [v('red', '朱红', 'Vermilion', '#b5482f'), v('blue', '靛蓝', 'Indigo', '#2f4f7f'), v('green', '青绿', 'Celadon green', '#5f9e8f'), v('yellow', '姜黄', 'Turmeric', '#d9b24a'), v('brown', '栗色', 'Chestnut', '#6b4f3a'), v('purple', '藕紫', 'Lotus purple', '#8a6bb5'), v('black', '墨黑', 'Ink black', '#2b2b2b'), v('white', '米白', 'Rice white', '#e9e2d0')];
const colourSpec = { key: 'colour', name: t('颜色', 'Colour'), values: colours };

/**
 * Top-level categories (8, with the demo's tea ware and apparel) and their
 * sub-categories; each sub-category names the kinds of product sold in it:
 * [zh noun, en noun, picture shape, lowest and highest price in yuan].
 */
export const CATEGORIES = [
  {
    slug: 'teaware', name: t('茶具', 'Tea ware'), specs: 'existing',
    subs: [
      { slug: 'cups', name: t('茶杯', 'Cups'), kinds: [['品茗杯', 'tasting cup', 'cup', 38, 168], ['主人杯', "host's cup", 'cup', 58, 268], ['公道杯', 'fairness pitcher', 'vase', 68, 238]] },
      { slug: 'teapots', name: t('茶壶', 'Teapots'), kinds: [['侧把壶', 'side-handle teapot', 'teapot', 168, 880], ['西施壶', 'Xishi teapot', 'teapot', 198, 1280], ['提梁壶', 'loop-handle teapot', 'teapot', 228, 980]] },
      { slug: 'bowls', name: t('盖碗', 'Gaiwan'), kinds: [['三才盖碗', 'three-piece gaiwan', 'bowl', 88, 368], ['茶洗', 'tea washer', 'bowl', 68, 198]] },
    ],
  },
  {
    slug: 'apparel', name: t('服装', 'Apparel'), specs: 'existing',
    subs: [
      { slug: 'shirts', name: t('衬衫', 'Shirts'), kinds: [['亚麻衬衫', 'linen shirt', 'shirt', 199, 499], ['立领衬衫', 'band-collar shirt', 'shirt', 229, 599]] },
      { slug: 'scarves', name: t('围巾', 'Scarves'), kinds: [['扎染围巾', 'tie-dyed scarf', 'scarf', 99, 299], ['羊毛围巾', 'wool scarf', 'scarf', 159, 459]] },
      { slug: 'dresses', name: t('连衣裙', 'Dresses'), kinds: [['棉麻长裙', 'cotton-linen dress', 'dress', 299, 799]] },
      { slug: 'hats', name: t('帽子', 'Hats'), kinds: [['草编帽', 'straw hat', 'hat', 69, 199]] },
    ],
  },
  {
    slug: 'home', name: t('家居', 'Home'), specs: [colourSpec, { key: 'size', name: t('尺寸', 'Size'), values: [v('small', '小号', 'Small'), v('medium', '中号', 'Medium'), v('large', '大号', 'Large')] }],
    subs: [
      { slug: 'lighting', name: t('灯具', 'Lighting'), kinds: [['竹编台灯', 'woven bamboo lamp', 'lamp', 189, 689], ['纸灯笼', 'paper lantern', 'lamp', 59, 199]] },
      { slug: 'textiles', name: t('家纺', 'Textiles'), kinds: [['蓝染抱枕', 'indigo cushion', 'cushion', 79, 199], ['刺绣靠垫', 'embroidered cushion', 'cushion', 99, 299]] },
      { slug: 'storage', name: t('收纳', 'Storage'), kinds: [['藤编收纳篮', 'rattan basket', 'basket', 59, 219]] },
    ],
  },
  {
    slug: 'stationery', name: t('文具', 'Stationery'), specs: [colourSpec, { key: 'format', name: t('规格', 'Format'), values: [v('a5', 'A5', 'A5'), v('a6', 'A6', 'A6'), v('b5', 'B5', 'B5')] }],
    subs: [
      { slug: 'notebooks', name: t('笔记本', 'Notebooks'), kinds: [['线装笔记本', 'stitched notebook', 'notebook', 29, 99], ['手账本', 'planner', 'notebook', 39, 129]] },
      { slug: 'brushes', name: t('毛笔', 'Brushes'), kinds: [['狼毫毛笔', 'weasel-hair brush', 'brush', 49, 299], ['钢笔', 'fountain pen', 'pen', 99, 599]] },
    ],
  },
  {
    slug: 'kitchen', name: t('厨房', 'Kitchen'), specs: [colourSpec, { key: 'size', name: t('尺寸', 'Size'), values: [v('small', '小号', 'Small'), v('medium', '中号', 'Medium'), v('large', '大号', 'Large')] }],
    subs: [
      { slug: 'knives', name: t('刀具', 'Knives'), kinds: [['龙泉菜刀', 'Longquan cleaver', 'knife', 159, 699]] },
      { slug: 'cookware', name: t('锅具', 'Cookware'), kinds: [['铸铁锅', 'cast-iron pot', 'pot', 299, 1299], ['砂锅', 'clay pot', 'pot', 89, 299]] },
      { slug: 'boards', name: t('砧板', 'Boards'), kinds: [['乌木砧板', 'ebony board', 'board', 129, 499]] },
    ],
  },
  {
    slug: 'tea', name: t('茶叶', 'Tea'), specs: [{ key: 'weight', name: t('净含量', 'Net weight'), values: [v('50g', '50克', '50 g'), v('100g', '100克', '100 g'), v('250g', '250克', '250 g')] }, { key: 'grade', name: t('等级', 'Grade'), values: [v('first', '一级', 'First grade'), v('special', '特级', 'Special grade')] }],
    subs: [
      { slug: 'green-tea', name: t('绿茶', 'Green tea'), kinds: [['西湖龙井', 'West Lake Longjing', 'leaf', 128, 688], ['碧螺春', 'Biluochun', 'leaf', 98, 498]] },
      { slug: 'oolong', name: t('乌龙茶', 'Oolong'), kinds: [['铁观音', 'Tieguanyin', 'jar', 88, 458], ['大红袍', 'Da Hong Pao', 'box', 158, 888]] },
      { slug: 'black-tea', name: t('红茶', 'Black tea'), kinds: [['正山小种', 'Lapsang souchong', 'jar', 78, 368]] },
    ],
  },
  {
    slug: 'bags', name: t('箱包', 'Bags'), specs: [colourSpec, { key: 'material', name: t('材质', 'Material'), values: [v('leather', '牛皮', 'Leather'), v('canvas', '帆布', 'Canvas')] }],
    subs: [
      { slug: 'totes', name: t('托特包', 'Totes'), kinds: [['手工托特包', 'hand-stitched tote', 'bag', 199, 899]] },
      { slug: 'wallets', name: t('钱包', 'Wallets'), kinds: [['植鞣皮钱包', 'veg-tanned wallet', 'wallet', 129, 499]] },
    ],
  },
  {
    slug: 'beauty', name: t('美妆', 'Beauty'), specs: [{ key: 'scent', name: t('香型', 'Scent'), values: [v('osmanthus', '桂花', 'Osmanthus'), v('jasmine', '茉莉', 'Jasmine'), v('tea', '茶香', 'Tea')] }, { key: 'volume', name: t('容量', 'Volume'), values: [v('50ml', '50毫升', '50 ml'), v('100ml', '100毫升', '100 ml')] }],
    subs: [
      { slug: 'skincare', name: t('护肤', 'Skincare'), kinds: [['山茶花精华油', 'camellia oil', 'bottle', 89, 399], ['米酵面膜', 'rice ferment mask', 'jar', 59, 199]] },
      { slug: 'soap', name: t('手工皂', 'Soap'), kinds: [['冷制皂', 'cold-process soap', 'soap', 29, 89]] },
    ],
  },
];

/** Words before a product's noun: [zh, en]. */
const STYLES = [['手工', 'Handmade'], ['复古', 'Vintage'], ['简约', 'Minimal'], ['宋式', 'Song-style'], ['日式', 'Japanese-style'], ['经典', 'Classic'], ['轻奢', 'Refined'], ['原色', 'Natural'], ['古法', 'Traditional'], ['新中式', 'New Chinese']];
const MATERIALS = {
  cup: [['青瓷', 'celadon'], ['柴烧', 'wood-fired'], ['汝窑', 'Ru-ware'], ['白瓷', 'porcelain']],
  teapot: [['紫砂', 'Yixing clay'], ['青瓷', 'celadon'], ['建盏', 'Jian-ware']],
  vase: [['玻璃', 'glass'], ['白瓷', 'porcelain']],
  bowl: [['青花', 'blue-and-white'], ['白瓷', 'porcelain'], ['粗陶', 'stoneware']],
};

/**
 * The demo's generated products: `count` of them over the sub-categories
 * (round robin, so every category has some), each with a shop, a bilingual
 * name, a description, its specs chosen from the template, prices and a
 * picture (shape and colour).
 */
export function generateProducts(count, shops, rnd) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const subs = CATEGORIES.flatMap((c) => c.subs.map((s) => ({ top: c, sub: s })));
  const out = [];
  for (let i = 0; i < count; i++) {
    const { top, sub } = subs[i % subs.length];
    const [zhNoun, enNoun, shape, lo, hi] = pick(sub.kinds);
    const [zhStyle, enStyle] = pick(STYLES);
    const [zhMat, enMat] = MATERIALS[shape] ? pick(MATERIALS[shape]) : ['', ''];
    const shop = shops.find((s) => s.sells.includes(top.slug)) ?? shops[i % shops.length];
    const serial = String(i + 1).padStart(count >= 1000 ? 5 : 3, '0');
    const name = t(`${zhStyle}${zhMat}${zhNoun} ${serial}`, `${enStyle} ${enMat ? `${enMat} ` : ''}${enNoun} ${serial}`);
    const price = Math.round((lo + rnd() * (hi - lo)) / 1) * 100;
    out.push({ top: top.slug, sub: sub.slug, shop: shop.who, brand: shop.brand, name, shape, price, zhNoun, enNoun, style: zhStyle, material: zhMat, serial, pickCount: 1 + Math.floor(rnd() * 3), rnd: rnd() });
  }
  return out;
}

export const SHOPS = [
  { who: 'kiln', zh: '景德镇窑', en: 'Jingdezhen Kiln', brand: '景德镇窑', sells: ['teaware'], commissionBps: 500, existing: true },
  { who: 'loom', zh: '蓝染织坊', en: 'Indigo Loom', brand: '蓝染织坊', sells: ['apparel'], commissionBps: 800, existing: true },
  { who: 'bamboo', zh: '竹里馆', en: 'Bamboo Hall', brand: '竹里馆', sells: ['home', 'kitchen'], commissionBps: 600 },
  { who: 'ink', zh: '墨香文房', en: 'Ink & Paper', brand: '墨香', sells: ['stationery'], commissionBps: 600 },
  { who: 'teagarden', zh: '山茶园', en: 'Mountain Tea Garden', brand: '山茶园', sells: ['tea', 'beauty'], commissionBps: 500 },
  { who: 'leather', zh: '皮革工坊', en: 'Leather Workshop', brand: '匠皮', sells: ['bags'], commissionBps: 700 },
];
