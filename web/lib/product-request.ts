import { z } from 'zod';
import { CreateProductRequest, type FieldError, type Product } from '@emporium/contracts';
import { fromMinor, toMinor, type ProductDraft } from './product-draft';

const Text = z.object({ 'zh-CN': z.string(), en: z.string() });
/** The draft's shape as the browser sends it (a crafted one is refused as a whole, never a 500). */
export const ProductDraftShape = z.object({
  categoryId: z.string(),
  currency: z.string(),
  name: Text,
  description: Text,
  brand: z.string(),
  attributes: z.array(z.object({ name: Text, value: Text })),
  specs: z.array(z.object({ key: z.string(), values: z.array(z.string()) })),
  skus: z.array(z.object({ specValues: z.record(z.string(), z.string()), price: z.string(), originalPrice: z.string(), barcode: z.string(), weightGrams: z.string(), active: z.boolean() })),
}) satisfies z.ZodType<ProductDraft>;

/**
 * The form's draft as catalog's request, checked by the same contract catalog
 * checks; a wrong field comes back with its path (`skus.2.price`), which the
 * form shows beside that field.
 */
export function draftToRequest(draft: ProductDraft): { request: CreateProductRequest } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const money = (text: string, field: string, optional: boolean) => {
    if (optional && text.trim() === '') return null;
    const amount = toMinor(text);
    if (amount === null) errors.push({ field, code: 'invalid_price', message: 'a price such as 68 or 68.50' });
    return { amount: amount ?? 0, currency: draft.currency };
  };
  const skus = draft.skus.map((s, i) => {
    const weight = /^\s*\d{1,7}\s*$/.test(s.weightGrams) ? Number(s.weightGrams) : null;
    if (weight === null) errors.push({ field: `skus.${i}.weightGrams`, code: 'invalid_weight', message: 'whole grams' });
    return {
      specValues: s.specValues,
      price: money(s.price, `skus.${i}.price`, false),
      originalPrice: money(s.originalPrice, `skus.${i}.originalPrice`, true),
      barcode: s.barcode.trim(),
      weightGrams: weight ?? 0,
      active: s.active,
    };
  });
  const parsed = CreateProductRequest.safeParse({
    categoryId: draft.categoryId,
    name: draft.name,
    description: draft.description,
    brand: draft.brand,
    attributes: draft.attributes,
    specs: draft.specs.filter((s) => s.values.length > 0),
    skus,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.join('.');
      // a price already reported as unreadable is not reported again
      if (!errors.some((e) => e.field === field || field.startsWith(`${e.field}.`))) errors.push({ field, code: issue.code, message: issue.message });
    }
  }
  return errors.length > 0 || !parsed.success ? { errors } : { request: parsed.data };
}

/** An existing product as the form's draft. */
export function productToDraft(p: Product): ProductDraft {
  return {
    categoryId: p.categoryId,
    currency: p.currency,
    name: p.name,
    description: p.description,
    brand: p.brand,
    attributes: p.attributes,
    specs: p.specs.map((s) => ({ key: s.key, values: s.values.map((v) => v.key) })),
    skus: p.skus.map((s) => ({
      specValues: s.specValues,
      price: fromMinor(s.price.amount),
      originalPrice: s.originalPrice ? fromMinor(s.originalPrice.amount) : '',
      barcode: s.barcode,
      weightGrams: String(s.weightGrams),
      active: s.active,
    })),
  };
}
