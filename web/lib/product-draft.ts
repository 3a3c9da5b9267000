import { cartesian, comboKey, type SpecCombo } from '@emporium/contracts/sku-matrix';

/**
 * The seller portal's product form as the merchant types it: prices and
 * weights are still text. The browser keeps it, the server action turns it
 * into catalog's CreateProductRequest (lib/product-request.ts). Nothing here
 * imports zod, so the SKU editor's bundle stays small.
 */
export interface SkuDraft {
  specValues: SpecCombo;
  price: string;
  originalPrice: string;
  barcode: string;
  weightGrams: string;
  active: boolean;
}

export interface ProductDraft {
  categoryId: string;
  currency: string;
  name: { 'zh-CN': string; en: string };
  description: { 'zh-CN': string; en: string };
  brand: string;
  attributes: { name: { 'zh-CN': string; en: string }; value: { 'zh-CN': string; en: string } }[];
  /** the chosen values per spec, in the template's order; a spec with none is left out */
  specs: { key: string; values: string[] }[];
  skus: SkuDraft[];
}

const emptySku = (specValues: SpecCombo): SkuDraft => ({ specValues, price: '', originalPrice: '', barcode: '', weightGrams: '', active: true });

/**
 * The SKU table for the chosen values: one row per combination, in matrix
 * order. A combination that was there before keeps what was typed into it,
 * so ticking another colour does not wipe the prices.
 */
export function skuTable(specs: ProductDraft['specs'], previous: readonly SkuDraft[]): SkuDraft[] {
  const kept = new Map(previous.map((s) => [comboKey(s.specValues), s]));
  return cartesian(specs.filter((s) => s.values.length > 0)).map((combo) => kept.get(comboKey(combo)) ?? emptySku(combo));
}

/** A price as people type it ("68", "68.5", "68.50") in minor units; null when it is not one. */
export function toMinor(text: string): number | null {
  const m = /^\s*(\d{1,10})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Minor units back to what the merchant typed: 6850 → "68.50". */
export function fromMinor(amount: number): string {
  return `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}
