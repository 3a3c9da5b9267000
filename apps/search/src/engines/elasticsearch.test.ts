import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '@elastic/elasticsearch';
import { UnavailableError, ValidationError } from '@emporium/kit';
import type { MirrorRow } from '../data/search-repository';
import { Analyzer } from '../domain/analyzer';
import { clientAnswering, type SentRequest } from '../../test/elasticsearch-client';
import { ElasticsearchEngine, esDocumentOf } from './elasticsearch';

/**
 * The Elasticsearch engine against exchanges kept in
 * test/fixtures/elasticsearch (see the README there): every request the
 * engine sends must be the one kept, body and all, and the kept answer is
 * what it reads. No Elasticsearch server runs on these machines.
 */

interface Exchange {
  request: SentRequest;
  response: { status: number; body: unknown } | { error: 'connection refused' };
}

const FIXTURES = join(__dirname, '../../test/fixtures/elasticsearch');
const exchangesOf = (name: string): Exchange[] => (JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as { exchanges: Exchange[] }).exchanges;

/** An engine whose client talks to the kept exchanges, in order; `sent` is what it asked. */
function replaying(name: string): { engine: ElasticsearchEngine; sent: Exchange['request'][]; left: () => number } {
  const queue = exchangesOf(name);
  const sent: Exchange['request'][] = [];
  const client = clientAnswering((asked) => {
    sent.push(asked);
    const next = queue.shift();
    if (!next) throw new Error(`no exchange left for ${asked.method} ${asked.path}`);
    expect(asked).toEqual(next.request);
    if ('error' in next.response) throw new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200');
    return next.response;
  });
  return { engine: new ElasticsearchEngine(() => Promise.resolve(client), { index: 'emporium-products', replicas: 1 }), sent, left: () => queue.length };
}

const SHOP = '2f7b4f7e-6a43-4c1e-9a55-0c0e5d1f6a01';
const OTHER_SHOP = '2f7b4f7e-6a43-4c1e-9a55-0c0e5d1f6a02';
const CERAMICS = '7c1d3a52-1b5e-4f0e-8a0e-3f1f4b2c9d01';
const TEAWARE = '7c1d3a52-1b5e-4f0e-8a0e-3f1f4b2c9d02';
const MUGS = '7c1d3a52-1b5e-4f0e-8a0e-3f1f4b2c9d03';
const TEAPOT = '9a8e2c1b-3d4f-4a5b-8c6d-7e8f9a0b1c01';
const CUP = '9a8e2c1b-3d4f-4a5b-8c6d-7e8f9a0b1c02';
const SCARF = '9a8e2c1b-3d4f-4a5b-8c6d-7e8f9a0b1c03';

describe('the Elasticsearch engine', () => {
  it('puts an index template with the cjk and english analyzers, the words and pinyin as keywords', async () => {
    const { engine, sent, left } = replaying('template');
    await engine.putTemplate();
    expect(sent).toHaveLength(1);
    expect(left()).toBe(0);
  });

  it('writes documents in one bulk request under their change numbers; a newer one already there counts as written, a refused one stays to be sent again', async () => {
    const analyzer = new Analyzer({ dictionaryMinFrequency: 20 });
    const row = (productId: string, name: MirrorRow['name'], changed: string, extra: Partial<MirrorRow> = {}): MirrorRow => ({
      productId,
      shopId: SHOP,
      categoryId: TEAWARE,
      categoryPath: [CERAMICS, TEAWARE],
      published: true,
      shopSuspended: false,
      name,
      brand: 'Longquan',
      image: `/media/${productId}.png`,
      currency: 'CNY',
      minPrice: '12800',
      maxPrice: '13800',
      specValues: ['colour:blue', 'colour:white'],
      inStock: true,
      sales: 12,
      publishedAt: new Date('2026-11-20T08:00:00.000Z'),
      terms: { A: ['celadon', 'jingdezhen', 'jingdezhenqingcichahu', 'jdzqcch', 'qingci', 'qc', 'teapot', '景德镇', '青瓷', '茶壶'], B: ['longquan', '茶具', 'chaju', 'cj'], C: ['glaze', '釉色'], D: ['景', '德', '镇', '青', '瓷', '茶', '壶'] },
      changed,
      ...extra,
    });
    const docs = [
      row(TEAPOT, { 'zh-CN': '景德镇青瓷茶壶', en: 'Jingdezhen celadon teapot' }, '41'),
      row(CUP, { 'zh-CN': '白瓷马克杯', en: 'White porcelain mug' }, '42', { published: false, minPrice: null, maxPrice: null, specValues: [], terms: { A: ['mug'] } }),
      row(SCARF, { 'zh-CN': '羊毛围巾', en: 'Wool scarf' }, '43', { shopId: OTHER_SHOP, shopSuspended: true, brand: 'Loom', terms: { A: ['wool', 'scarf', '羊毛', '围巾', 'yangmao'], B: ['loom'], D: ['羊', '毛', '围', '巾'] } }),
    ].map((r) => ({ doc: esDocumentOf(analyzer, r), version: r.changed }));

    // the name's pinyin is its own field, and not also among the name's words
    expect(docs[0]!.doc.name_pinyin).toEqual(expect.arrayContaining(['qingci', 'qc', 'jingdezhen', 'chahu']));
    expect(docs[0]!.doc.terms_a).not.toContain('qingci');
    expect(docs[0]!.doc.terms_a).toContain('teapot');
    expect(docs[1]!.doc.price_key).toBe(9_000_000_000_000_000);

    const { engine, left } = replaying('bulk');
    const result = await engine.index(docs);
    expect(result.done).toEqual([
      { productId: TEAPOT, changed: '41' },
      { productId: CUP, changed: '42' },
    ]);
    expect(result.failed).toEqual([{ productId: SCARF, status: 429, reason: expect.stringContaining('rejected execution') }]);
    expect(left()).toBe(0);
  });

  it('searches with words, disjunctive facets as filter aggregations, a post_filter and the first page by relevance', async () => {
    const { engine, left } = replaying('search-relevance');
    const { hits, facets } = await engine.search(
      {
        text: '青瓷 teapot',
        groups: [
          { word: '青瓷', alternatives: ['青瓷'], prefix: false },
          { word: 'teapot', alternatives: ['teapot', '茶壶', '壶'], prefix: true },
        ],
        shop: SHOP,
        specs: new Map([['colour', ['blue', 'white']]]),
        inStock: true,
      },
      'relevance',
      3,
      null,
    );
    expect(left()).toBe(0);
    expect(hits.map((h) => [h.productId, h.keys, h.minPrice, h.inStock])).toEqual([
      [TEAPOT, ['2.5', '12'], '12800', true],
      [CUP, ['1.4', '30'], '3900', true],
    ]);
    expect(hits[0]!.publishedAt.toISOString()).toBe('2026-11-20T08:00:00.000Z');
    const of = (facet: string) => facets.filter((f) => f.facet === facet).map((f) => [f.key, f.n]);
    expect(of('category')).toEqual([
      [CERAMICS, '2'],
      [TEAWARE, '1'],
      [MUGS, '1'],
    ]);
    // the shop facet counts every shop (its own filter left out); the hits obey it
    expect(of('shop')).toEqual([
      [SHOP, '2'],
      [OTHER_SHOP, '1'],
    ]);
    // empty price bands are left out, as PostgreSQL leaves them
    expect(of('price')).toEqual([
      ['1', '1'],
      ['3', '1'],
    ]);
    // colour counted without its own filter, size with all of them
    expect(of('spec')).toEqual([
      ['size:l', '1'],
      ['colour:blue', '2'],
      ['colour:white', '2'],
      ['colour:red', '1'],
    ]);
    expect(of('in_stock')).toEqual([['', '2']]);
    expect(of('total')).toEqual([['', '2']]);
  });

  it('pages on with search_after from a cursor, by newest, in a category', async () => {
    const { engine, left } = replaying('search-newest-after');
    const { hits, facets } = await engine.search({ text: '', groups: [], category: CERAMICS, specs: new Map() }, 'newest', 2, { keys: ['1795161600000'], id: TEAPOT });
    expect(left()).toBe(0);
    expect(hits.map((h) => [h.productId, h.keys])).toEqual([[CUP, ['1795075200000']]]);
    expect(facets.find((f) => f.facet === 'total')?.n).toBe('3');
  });

  it("refuses a cursor that is not one of this engine's sorts before asking anything", async () => {
    const { engine, sent } = replaying('template');
    await expect(engine.search({ text: '', groups: [], specs: new Map() }, 'newest', 2, { keys: ['2026-11-20T08:00:00.000Z'], id: TEAPOT })).rejects.toBeInstanceOf(ValidationError);
    expect(sent).toHaveLength(0);
  });

  it('suggests with the last word as a prefix (pinyin typed so far)', async () => {
    const { engine, left } = replaying('suggest');
    const items = await engine.suggest({ text: 'qingc', groups: [{ word: 'qingc', alternatives: ['qingc'], prefix: true }] }, 5);
    expect(left()).toBe(0);
    expect(items).toEqual([{ productId: TEAPOT, name: { 'zh-CN': '景德镇青瓷茶壶', en: 'Jingdezhen celadon teapot' } }]);
  });

  it('tells readiness whether the cluster answers', async () => {
    const { engine, left } = replaying('ping');
    expect(await engine.ping()).toBeUndefined();
    expect(await engine.ping()).toMatch(/elasticsearch not reachable: .*ECONNREFUSED/);
    expect(left()).toBe(0);
  });

  it('answers unavailable (503 to the shopper) when the cluster is down or overloaded, and fails loudly when it refuses what was sent', async () => {
    const { engine, left } = replaying('failures');
    const suggestTea = () => engine.suggest({ text: 'tea', groups: [{ word: 'tea', alternatives: ['tea'], prefix: true }] }, 5);
    await expect(suggestTea()).rejects.toBeInstanceOf(UnavailableError); // connection refused
    await expect(suggestTea()).rejects.toBeInstanceOf(UnavailableError); // 503 from the cluster
    const refused = await suggestTea().catch((err: unknown) => err);
    expect(refused).not.toBeInstanceOf(UnavailableError);
    expect(refused).toBeInstanceOf(errors.ResponseError);
    expect(left()).toBe(0);
  });
});
