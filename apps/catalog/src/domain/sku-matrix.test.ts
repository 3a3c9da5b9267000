import type { SkuInput, SpecDefinition } from '@emporium/contracts';
import { cartesian, comboKey } from '@emporium/contracts/sku-matrix';
import { buildMatrix } from './sku-matrix';

const n = (s: string) => ({ 'zh-CN': s, en: s });
const template: SpecDefinition[] = [
  { key: 'colour', name: n('colour'), values: [{ key: 'red', name: n('red') }, { key: 'blue', name: n('blue') }, { key: 'green', name: n('green') }] },
  { key: 'size', name: n('size'), values: ['s', 'm', 'l', 'xl'].map((k) => ({ key: k, name: n(k) })) },
];
const sku = (colour: string, size: string, i: number): SkuInput => ({
  specValues: { colour, size },
  price: { amount: 1000 + i, currency: 'CNY' },
  originalPrice: null,
  barcode: `690000000${i}`,
  weightGrams: 300,
  active: true,
});
const chosen = [
  { key: 'colour', values: ['red', 'blue'] },
  { key: 'size', values: ['s', 'm', 'l'] },
];

describe('SKU matrix', () => {
  it('when 2 colours and 3 sizes are chosen, then there are 6 combinations', () => {
    expect(cartesian(chosen)).toHaveLength(6);
    expect(comboKey({ size: 'm', colour: 'red' })).toBe('colour=red;size=m');
  });

  it('when every combination has one SKU, then the matrix is built in order', () => {
    const skus = cartesian(chosen).map((c, i) => sku(c.colour!, c.size!, i)).reverse();
    const result = buildMatrix(template, chosen, skus);
    if ('errors' in result) throw new Error(JSON.stringify(result.errors));
    expect(result.skus.map((s) => s.combo)).toEqual(cartesian(chosen).map(comboKey));
    expect(result.specs[0]!.values.map((v) => v.key)).toEqual(['red', 'blue']);
    expect(result.currency).toBe('CNY');
  });

  it('when a combination is missing, one is outside the matrix and a value is unknown, then each is named', () => {
    const skus = [sku('red', 's', 1), sku('red', 'xl', 2)];
    const result = buildMatrix(template, chosen, skus);
    expect('errors' in result && result.errors.map((e) => `${e.field}:${e.code}`)).toEqual(
      expect.arrayContaining(['skus.1.specValues:not_in_matrix', 'skus:missing_combination']),
    );
    const unknown = buildMatrix(template, [{ key: 'colour', values: ['purple'] }], [sku('purple', 's', 1)]);
    expect('errors' in unknown && unknown.errors[0]).toEqual(expect.objectContaining({ field: 'specs.0.values.0', code: 'unknown_value' }));
  });

  it('when currencies are mixed or a barcode repeats, then it is refused', () => {
    const skus = cartesian(chosen).map((c, i) => sku(c.colour!, c.size!, i));
    skus[1] = { ...skus[1]!, price: { amount: 5, currency: 'USD' } };
    skus[2] = { ...skus[2]!, barcode: skus[0]!.barcode };
    const result = buildMatrix(template, chosen, skus);
    expect('errors' in result && result.errors.map((e) => e.code).sort()).toEqual(['duplicate', 'mixed_currency']);
  });
});
