import type { FieldError, SkuInput, SpecDefinition } from '@emporium/contracts';
import { cartesian, comboKey } from '@emporium/contracts/sku-matrix';

export interface MatrixResult {
  /** The chosen specs with their names, for the product. */
  specs: SpecDefinition[];
  /** One SKU input per combination, in matrix order. */
  skus: (SkuInput & { combo: string })[];
  currency: string;
}

/**
 * Checks a product's chosen spec values against its category's template and
 * requires exactly one SKU per combination of the cartesian matrix. Answers
 * the field errors, each naming its path, when anything does not fit.
 */
export function buildMatrix(
  template: readonly SpecDefinition[],
  chosen: readonly { key: string; values: readonly string[] }[],
  skus: readonly SkuInput[],
): MatrixResult | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const specs: SpecDefinition[] = [];
  const seenKeys = new Set<string>();
  chosen.forEach((c, i) => {
    const def = template.find((t) => t.key === c.key);
    if (!def) return errors.push({ field: `specs.${i}.key`, code: 'unknown_spec', message: `the category has no spec ${c.key}` });
    if (seenKeys.has(c.key)) return errors.push({ field: `specs.${i}.key`, code: 'duplicate', message: `${c.key} is chosen twice` });
    seenKeys.add(c.key);
    const values = c.values.map((v, j) => {
      const value = def.values.find((dv) => dv.key === v);
      if (!value) errors.push({ field: `specs.${i}.values.${j}`, code: 'unknown_value', message: `${c.key} has no value ${v}` });
      return value;
    });
    if (new Set(c.values).size !== c.values.length) errors.push({ field: `specs.${i}.values`, code: 'duplicate', message: 'a value is chosen twice' });
    specs.push({ ...def, values: values.filter((v): v is NonNullable<typeof v> => v !== undefined) });
    return undefined;
  });
  if (errors.length) return { errors };

  const matrix = cartesian(chosen);
  const wanted = new Map(matrix.map((m) => [comboKey(m), m]));
  const given = new Map<string, number>();
  skus.forEach((sku, i) => {
    const key = comboKey(sku.specValues);
    if (!wanted.has(key) || Object.keys(sku.specValues).length !== chosen.length) {
      errors.push({ field: `skus.${i}.specValues`, code: 'not_in_matrix', message: `${key || '(none)'} is not a combination of the chosen specs` });
    } else if (given.has(key)) {
      errors.push({ field: `skus.${i}.specValues`, code: 'duplicate', message: `${key} is given twice` });
    } else {
      given.set(key, i);
    }
    if (sku.originalPrice && sku.originalPrice.amount < sku.price.amount) {
      errors.push({ field: `skus.${i}.originalPrice`, code: 'below_price', message: 'the original price is below the price' });
    }
  });
  for (const [key] of wanted) {
    if (!given.has(key)) errors.push({ field: 'skus', code: 'missing_combination', message: `no SKU for ${key}` });
  }
  const currencies = new Set(skus.flatMap((s) => [s.price.currency, ...(s.originalPrice ? [s.originalPrice.currency] : [])]));
  if (currencies.size > 1) errors.push({ field: 'skus', code: 'mixed_currency', message: `one currency per product, got ${[...currencies].join(', ')}` });
  const barcodes = new Set<string>();
  skus.forEach((s, i) => {
    if (barcodes.has(s.barcode)) errors.push({ field: `skus.${i}.barcode`, code: 'duplicate', message: `barcode ${s.barcode} is given twice` });
    barcodes.add(s.barcode);
  });
  if (errors.length) return { errors };
  return {
    specs,
    skus: matrix.map((m) => {
      const key = comboKey(m);
      return { ...skus[given.get(key)!]!, combo: key };
    }),
    currency: [...currencies][0]!,
  };
}
