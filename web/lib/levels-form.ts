import { PutLevelsRequest, type MemberLevel } from '@emporium/contracts';
import { issuesOf, text, type FormState } from './form-state';
import { LEVEL_COLUMNS, levelField } from './level-fields';
import { toMinor } from './product-draft';


/** The form's field for a path of the request; `rowOf` maps a level to the form row it came from (empty rows are dropped). */
const fieldOf = (rowOf: readonly number[]) => (path: PropertyKey[]): string => {
  const [head, i, column, sub] = path.map(String);
  if (head !== 'levels' || i === undefined) return path.map(String).join('.');
  const named: Record<string, string> = { discountBps: 'discount', birthdayCouponTemplateId: 'birthdayCoupon', name: sub === 'en' ? 'nameEn' : 'nameZh' };
  return levelField(rowOf[Number(i)] ?? Number(i), named[column ?? ''] ?? column ?? '');
};

/**
 * The admin console's ladder form as a PutLevelsRequest: a row per level, in order; a row whose names
 * are both empty is dropped (that is how the top level is removed, and the spare row left unused).
 * Discounts are typed as percentages (2 = 2 %), thresholds in yuan (empty: the shops' own rule).
 */
export function levelsRequestOf(form: FormData, rows: number): { ok: true; request: PutLevelsRequest } | { ok: false; state: FormState } {
  const values: Record<string, string> = {};
  const levels: MemberLevel[] = [];
  const rowOf: number[] = [];
  const errors: FormState['errors'] = [];
  for (let i = 0; i < rows; i++) {
    const v = Object.fromEntries(LEVEL_COLUMNS.map((c) => [c, text(form, levelField(i, c)).trim()])) as Record<(typeof LEVEL_COLUMNS)[number], string>;
    for (const c of LEVEL_COLUMNS) values[levelField(i, c)] = v[c];
    if (!v.nameZh && !v.nameEn) continue;
    const at = levels.length;
    rowOf.push(i);
    const discount = /^\d{1,2}(\.\d{1,2})?$/.test(v.discount || '0') ? Math.round(Number(v.discount || '0') * 100) : Number.NaN;
    if (Number.isNaN(discount)) errors.push({ field: levelField(i, 'discount'), message: 'a percentage such as 2 or 2.5' });
    const free = v.freeShippingAbove === '' ? null : toMinor(v.freeShippingAbove);
    if (v.freeShippingAbove !== '' && free === null) errors.push({ field: levelField(i, 'freeShippingAbove'), message: 'an amount such as 49 or 49.90' });
    levels.push({
      level: at,
      name: { 'zh-CN': v.nameZh, en: v.nameEn },
      minGrowth: /^\d{1,9}$/.test(v.minGrowth) ? Number(v.minGrowth) : Number.NaN,
      discountBps: discount,
      freeShippingAbove: free === null ? null : { amount: free, currency: 'CNY' },
      birthdayCouponTemplateId: v.birthdayCoupon || null,
    });
  }
  if (errors.length) return { ok: false, state: { errors, problem: null, values } };
  const parsed = PutLevelsRequest.safeParse({ levels });
  if (!parsed.success) return { ok: false, state: { errors: issuesOf(parsed.error.issues, fieldOf(rowOf)), problem: null, values } };
  return { ok: true, request: parsed.data };
}
