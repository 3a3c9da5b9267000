import { draftToRequest, ProductDraftShape, productToDraft } from './product-request';
import { fromMinor, skuTable, toMinor, type ProductDraft } from './product-draft';

const draft = (over: Partial<ProductDraft> = {}): ProductDraft => ({
  categoryId: '00000000-0000-4000-8000-000000000001',
  currency: 'CNY',
  name: { 'zh-CN': '衬衫', en: 'Shirt' },
  description: { 'zh-CN': '棉', en: 'Cotton' },
  brand: 'Acme',
  attributes: [],
  specs: [{ key: 'colour', values: ['red'] }],
  skus: [{ specValues: { colour: 'red' }, price: '68.5', originalPrice: '', barcode: 'ABC-123456', weightGrams: '200', active: true }],
  ...over,
});

describe('the SKU editor', () => {
  it('when a merchant ticks another value, then the table gains its rows and keeps what was typed', () => {
    const before = skuTable([{ key: 'colour', values: ['red'] }, { key: 'size', values: ['m'] }], []);
    before[0]!.price = '10';
    const after = skuTable([{ key: 'colour', values: ['red', 'blue'] }, { key: 'size', values: ['m', 'l'] }], before);
    expect(after.map((s) => s.specValues)).toEqual([
      { colour: 'red', size: 'm' },
      { colour: 'red', size: 'l' },
      { colour: 'blue', size: 'm' },
      { colour: 'blue', size: 'l' },
    ]);
    expect(after[0]!.price).toBe('10');
    expect(after[1]!.price).toBe('');
  });

  it('when a spec has no value ticked, then it is left out of the matrix', () => {
    expect(skuTable([{ key: 'colour', values: ['red'] }, { key: 'size', values: [] }], []).map((s) => s.specValues)).toEqual([{ colour: 'red' }]);
  });

  it('reads prices as people type them, in minor units, and refuses anything else', () => {
    expect(['68', '68.5', '68.50', ' 0.07 ', '68,5'].map(toMinor)).toEqual([6800, 6850, 6850, 7, 6850]);
    expect(['', '-1', '1.234', 'abc', '1e3'].map(toMinor)).toEqual([null, null, null, null, null]);
    expect([6850, 7, 0].map(fromMinor)).toEqual(['68.50', '0.07', '0.00']);
  });
});

describe('draftToRequest', () => {
  it('when the draft is right, then it is the contract request with integer prices', () => {
    const out = draftToRequest(draft());
    expect('request' in out && out.request.skus[0]!.price).toEqual({ amount: 6850, currency: 'CNY' });
  });

  it('when fields are wrong, then each is named by its path, once', () => {
    const out = draftToRequest(draft({ name: { 'zh-CN': '', en: 'Shirt' }, skus: [{ specValues: { colour: 'red' }, price: 'ten', originalPrice: '', barcode: 'x', weightGrams: '2.5', active: true }] }));
    expect('errors' in out && out.errors.map((e) => e.field).sort()).toEqual(['name.zh-CN', 'skus.0.barcode', 'skus.0.price', 'skus.0.weightGrams']);
  });

  it('when a crafted draft has the wrong shape, then it is refused whole instead of breaking the action', () => {
    expect(ProductDraftShape.safeParse(draft()).success).toBe(true);
    expect(ProductDraftShape.safeParse({ ...draft(), skus: 'all of them' }).success).toBe(false);
    expect(ProductDraftShape.safeParse({ ...draft(), name: null }).success).toBe(false);
  });

  it('when a product is edited, then its draft turns back into the same request', () => {
    const request = draftToRequest(draft());
    if (!('request' in request)) throw new Error('draft refused');
    const product = {
      ...request.request,
      id: '00000000-0000-4000-8000-000000000002',
      shopId: '00000000-0000-4000-8000-000000000003',
      specs: [{ key: 'colour', name: { 'zh-CN': '颜色', en: 'Colour' }, values: [{ key: 'red', name: { 'zh-CN': '红', en: 'Red' } }] }],
      skus: request.request.skus.map((s) => ({ ...s, id: '00000000-0000-4000-8000-000000000004', tiers: [], companyPrice: null, originalPrice: s.originalPrice ?? null })),
      categoryPath: [request.request.categoryId],
      images: [],
      status: 'draft' as const,
      currency: 'CNY',
      minPrice: null,
      updatedAt: new Date().toISOString(),
      publishedAt: null,
    };
    expect(draftToRequest(productToDraft(product))).toEqual(request);
  });
});
