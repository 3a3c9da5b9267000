'use server';

import { randomUUID } from 'node:crypto';
import { revalidatePath } from 'next/cache';
import { getLocale } from 'next-intl/server';
import { CreateCategoryRequest, CreatePointsActivityRequest, PutSpecTemplateRequest } from '@emporium/contracts';
import { redirect } from '@/i18n/navigation';
import { couponRequestOf } from '@/lib/coupon-form';
import { setCouponStatus } from '@/lib/data/seller';
import { adjustUserPoints, createPointsActivity, endPointsActivity, putMemberLevels } from '@/lib/data/membership';
import { levelsRequestOf } from '@/lib/levels-form';
import { createCategory, createPlatformCoupon, decideCompany, findUser, issueCoupon, decideShop, payOut, putSpecTemplate, setCommission, setInvoiceTerms, settleInvoice, suspendShop } from '@/lib/data/admin';
import { ServiceError } from '@/lib/data/sidecar';
import { accepted, issuesOf, refused, text, type FormState } from '@/lib/form-state';
import { toMinor } from '@/lib/product-draft';
import { adminToken } from './guard';

/**
 * The console's actions. The small ones (a decision, a rate) come back to
 * their list with `?problem=…&target=…` when refused, so the row says what
 * was wrong without any script; the larger forms return form state.
 */
async function back(pathname: string, query?: Record<string, string>): Promise<never> {
  revalidatePath('/[locale]/admin', 'layout');
  return redirect({ href: query ? { pathname, query } : pathname, locale: await getLocale() });
}

/** Runs a service call; a refusal (4xx) comes back to the list naming the row and the problem. */
async function orBack(call: () => Promise<unknown>, pathname: string, query: Record<string, string>, target: string): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (!(err instanceof ServiceError) || err.status >= 500) throw err;
    await back(pathname, { ...query, target, problem: err.status === 409 ? 'conflict' : err.problem?.errors?.[0]?.field ?? 'refused' });
  }
}

const decision = (form: FormData) => {
  const d = text(form, 'decision');
  const reason = text(form, 'reason').trim();
  if (d === 'approve') return { decision: 'approve' as const };
  return d === 'reject' && reason.length >= 3 ? { decision: 'reject' as const, reason } : null;
};

/** Approve or reject an application; a rejection needs a reason (at least 3 characters). */
async function decideApplication(form: FormData, list: string, field: string, call: (token: string, id: string, chosen: NonNullable<ReturnType<typeof decision>>, key: string) => Promise<unknown>): Promise<void> {
  const token = await adminToken(list);
  const id = text(form, field);
  const chosen = decision(form);
  if (!chosen) return back(list, { target: id, problem: 'reason' });
  await orBack(() => call(token, id, chosen, text(form, 'key') || randomUUID()), list, {}, id);
  return back(list);
}

export async function decideShopAction(form: FormData): Promise<void> {
  return decideApplication(form, '/admin/shops', 'shopId', decideShop);
}

export async function decideCompanyAction(form: FormData): Promise<void> {
  return decideApplication(form, '/admin/companies', 'companyId', decideCompany);
}

/** Suspend an open shop (its products leave the storefront) with a reason, or resume a suspended one. */
export async function shopStatusAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/shops');
  const shopId = text(form, 'shopId');
  const suspend = text(form, 'op') === 'suspend';
  const list = { status: suspend ? 'approved' : 'suspended' };
  const reason = text(form, 'reason').trim();
  if (suspend && reason.length < 3) return back('/admin/shops', { ...list, target: shopId, problem: 'reason' });
  await orBack(() => suspendShop(token, shopId, suspend ? { suspend, reason } : { suspend }, text(form, 'key') || randomUUID()), '/admin/shops', list, shopId);
  return back('/admin/shops', { status: suspend ? 'suspended' : 'approved' });
}

/** A shop's commission, typed as a percentage with up to two decimals (6.5 % = 650 basis points). */
export async function commissionAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/shops');
  const shopId = text(form, 'shopId');
  // a percentage with two decimals is basis points, as a price with two decimals is minor units
  const bps = toMinor(text(form, 'percent'));
  if (bps === null || bps > 5000) return back('/admin/shops', { status: 'approved', target: shopId, problem: 'commission' });
  await orBack(() => setCommission(token, shopId, bps), '/admin/shops', { status: 'approved' }, shopId);
  return back('/admin/shops', { status: 'approved', target: shopId, done: 'commission' });
}

/** An approved company's credit line for paying on invoice, and its payment term. */
export async function invoiceTermsAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/companies');
  const companyId = text(form, 'companyId');
  const list = { status: 'approved' };
  const limit = toMinor(text(form, 'creditLimit'));
  const days = Number(text(form, 'termDays'));
  if (limit === null) return back('/admin/companies', { ...list, target: companyId, problem: 'creditLimit' });
  if (!Number.isInteger(days) || days < 1 || days > 180) return back('/admin/companies', { ...list, target: companyId, problem: 'termDays' });
  await orBack(() => setInvoiceTerms(token, companyId, { creditLimit: { amount: limit, currency: 'CNY' }, termDays: days }), '/admin/companies', list, companyId);
  return back('/admin/companies', { ...list, target: companyId, done: 'terms' });
}

const CATEGORY_FIELDS = ['parentId', 'slug', 'name.zh-CN', 'name.en', 'position'] as const;

export async function createCategoryAction(_prev: FormState, form: FormData): Promise<FormState> {
  const token = await adminToken('/admin/categories');
  const values = Object.fromEntries(CATEGORY_FIELDS.map((f) => [f, text(form, f).trim()]));
  const parsed = CreateCategoryRequest.safeParse({
    parentId: values.parentId || null,
    slug: values.slug,
    name: { 'zh-CN': values['name.zh-CN'], en: values['name.en'] },
    position: values.position ? Number(values.position) : 0,
  });
  if (!parsed.success) return { errors: issuesOf(parsed.error.issues), problem: null, values };
  try {
    await createCategory(token, text(form, 'key') || randomUUID(), parsed.data);
  } catch (err) {
    return refused(err, values);
  }
  await back('/admin/categories');
  return accepted;
}

/** A category's spec template, edited in the browser and sent whole. */
export async function specTemplateAction(_prev: FormState, form: FormData): Promise<FormState> {
  const token = await adminToken('/admin/categories');
  const categoryId = text(form, 'categoryId');
  let specs: unknown;
  try {
    specs = JSON.parse(text(form, 'specs'));
  } catch {
    return { errors: [], problem: 'refused' };
  }
  const parsed = PutSpecTemplateRequest.safeParse({ specs });
  if (!parsed.success) return { errors: issuesOf(parsed.error.issues), problem: null };
  try {
    await putSpecTemplate(token, categoryId, parsed.data.specs);
  } catch (err) {
    return refused(err);
  }
  await back(`/admin/categories/${categoryId}`, { saved: '1' });
  return accepted;
}

/** Pays every shop what it is owed, in one batch (the key makes a double click one batch). */
export async function payOutAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/money');
  await orBack(() => payOut(token, text(form, 'key') || randomUUID()), '/admin/money', {}, 'payout');
  return back('/admin/money', { target: 'payout', done: 'payout' });
}

/** Records that a company paid one invoice; its credit line is available again. */
export async function settleInvoiceAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/companies');
  const companyId = text(form, 'companyId');
  const list = { status: 'approved' };
  await orBack(() => settleInvoice(token, text(form, 'paymentId'), text(form, 'key') || randomUUID()), '/admin/companies', list, companyId);
  return back('/admin/companies', { ...list, target: companyId, done: 'settled' });
}

/** Issues coupons funded by the platform (usable in every shop; keyed, so a double submit issues one template). */
export async function createPlatformCouponAction(_prev: FormState, form: FormData): Promise<FormState> {
  const token = await adminToken('/admin/coupons');
  const read = couponRequestOf(form);
  if (!read.ok) return read.state;
  try {
    await createPlatformCoupon(token, text(form, 'key') || randomUUID(), read.request);
  } catch (err) {
    return refused(err, read.values);
  }
  return back('/admin/coupons');
}

/** Pauses or resumes claiming of a platform template. */
export async function platformCouponStatusAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/coupons');
  const templateId = text(form, 'templateId');
  await orBack(() => setCouponStatus(token, templateId, text(form, 'status') === 'paused' ? 'paused' : 'active'), '/admin/coupons', {}, templateId);
  await back('/admin/coupons');
}

/** Gives one coupon of a platform template made for issuing to the shopper who signs in with the login given, with the reason they read. */
export async function issueCouponAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/coupons');
  const templateId = text(form, 'templateId');
  const reason = text(form, 'reason').trim();
  const user = await findUser(token, text(form, 'login').trim());
  if (!user) return back('/admin/coupons', { target: templateId, problem: 'login' });
  if (reason.length < 3) return back('/admin/coupons', { target: templateId, problem: 'reason' });
  await orBack(() => issueCoupon(token, templateId, text(form, 'key') || randomUUID(), { userId: user.id, reason }), '/admin/coupons', {}, templateId);
  await back('/admin/coupons', { target: templateId, done: '1' });
}

/** Adds points to a member (compensation) or takes them (a correction), with a reason the member reads; back to the member's points. */
export async function adjustPointsAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/points');
  const login = text(form, 'login').trim();
  const points = /^-?\d{1,7}$/.test(text(form, 'points').trim()) ? Number(text(form, 'points').trim()) : 0;
  const reason = text(form, 'reason').trim();
  if (points === 0) return back('/admin/points', { login, problem: 'points' });
  if (reason.length < 3) return back('/admin/points', { login, problem: 'reason' });
  try {
    await adjustUserPoints(token, text(form, 'userId'), text(form, 'key') || randomUUID(), { points, reason });
  } catch (err) {
    if (!(err instanceof ServiceError) || err.status >= 500) throw err;
    return back('/admin/points', { login, problem: err.status === 409 ? 'conflict' : (err.problem?.errors?.[0]?.field ?? 'refused') });
  }
  return back('/admin/points', { login, done: '1' });
}

/** Replaces the level ladder (the form's rows in order); members' levels are recomputed by membership. */
export async function putLevelsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const token = await adminToken('/admin/levels');
  const rows = Math.min(10, Math.max(0, Number(text(form, 'rows')) || 0));
  const read = levelsRequestOf(form, rows);
  if (!read.ok) return read.state;
  try {
    await putMemberLevels(token, read.request);
  } catch (err) {
    return refused(err);
  }
  return back('/admin/levels', { done: '1' });
}

/** Starts a points activity for every shop from now, for the days given; refused fields come back by name. */
export async function createPointsActivityAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/points');
  const days = /^\d{1,2}$/.test(text(form, 'days').trim()) ? Number(text(form, 'days').trim()) : 0;
  const multiplier = /^\d{3,4}$/.test(text(form, 'multiplierPercent').trim()) ? Number(text(form, 'multiplierPercent').trim()) : 0;
  const parsed = CreatePointsActivityRequest.safeParse({
    name: { 'zh-CN': text(form, 'nameZh').trim(), en: text(form, 'nameEn').trim() },
    multiplierPercent: multiplier,
    shopId: null,
    startsAt: new Date(Date.now() - 1000).toISOString(),
    endsAt: new Date(Date.now() + days * 86_400_000).toISOString(),
  });
  if (!parsed.success) {
    const [head] = parsed.error.issues[0]!.path.map(String);
    return back('/admin/points', { activityProblem: head === 'multiplierPercent' ? 'multiplier' : head === 'endsAt' ? 'days' : 'name' });
  }
  await orBack(() => createPointsActivity(token, text(form, 'key') || randomUUID(), parsed.data), '/admin/points', {}, 'activity');
  return back('/admin/points', { activityDone: '1' });
}

/** Ends a points activity now. */
export async function endPointsActivityAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/points');
  await orBack(() => endPointsActivity(token, text(form, 'activityId')), '/admin/points', {}, text(form, 'activityId'));
  return back('/admin/points', { activityDone: '1' });
}
