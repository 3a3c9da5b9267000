import { camelRow, camelRows, type CamelRow } from './rows';

describe('camelRow', () => {
  it('when a row has snake_case columns, then the record has camelCase keys and the same values', () => {
    const at = new Date();
    const record: CamelRow<{ shop_id: string; min_price: string | null; published_at: Date; name: { en: string } }> = camelRow({ shop_id: 's', min_price: null, published_at: at, name: { en: 'x' } });
    expect(record).toEqual({ shopId: 's', minPrice: null, publishedAt: at, name: { en: 'x' } });
    // nested objects (jsonb) keep their own keys
    expect(camelRow({ spec_values: { the_colour: 'red' } })).toEqual({ specValues: { the_colour: 'red' } });
    expect(camelRows([{ sku_id: 'a' }, { sku_id: 'b' }])).toEqual([{ skuId: 'a' }, { skuId: 'b' }]);
  });
});
