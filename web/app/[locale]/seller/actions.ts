'use server';

import { randomUUID } from 'node:crypto';
import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { getLocale } from 'next-intl/server';
import { ApplyShopRequest, CreateGroupBuyCampaignRequest, CreateReductionRequest, CreateShipmentRequest, ReturnAddress } from '@emporium/contracts';
import { redirect } from '@/i18n/navigation';
import { ServiceError } from '@/lib/data/sidecar';
import { couponRequestOf } from '@/lib/coupon-form';
import { toMinor } from '@/lib/product-draft';
import { createReduction, setReductionStatus } from '@/lib/data/promotions';
import { createGroupBuyCampaign, setGroupBuyCampaignStatus } from '@/lib/data/group-buys';
import { accepted, issuesOf, refused, text, type FormState } from '@/lib/form-state';
import { acceptInvitation, applyForShop, changeStock, createShopCoupon, decideRefund, inviteStaff, revokeInvitation, putTiers, saveProduct, setCouponStatus, setPublished, uploadImage, decideReturn, receiveReturn, putAfterSalesPolicy } from '@/lib/data/seller';
import { createShipment } from '@/lib/data/logistics';
import { REFRESH_COOKIE, REFRESHED_COOKIE, refreshTokens, writeSession } from '@/lib/session';
import { draftToRequest, ProductDraftShape } from '@/lib/product-request';
import { openShop, sellerSession, SHOP_COOKIE } from './guard';
import { SCOPE_FIELD, scopeOf } from '@/lib/scope-form';

const APPLY_FIELDS = ['name.zh-CN', 'name.en', 'description.zh-CN', 'description.en', 'contactEmail', 'contactPhone', 'accountName', 'bankName', 'accountNumber'] as const;

export async function applyAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { token } = await sellerSession('/seller');
  const values = Object.fromEntries(APPLY_FIELDS.map((f) => [f, text(form, f)]));
  const parsed = ApplyShopRequest.safeParse({
    name: { 'zh-CN': values['name.zh-CN'], en: values['name.en'] },
    description: { 'zh-CN': values['description.zh-CN'], en: values['description.en'] },
    contactEmail: values.contactEmail,
    contactPhone: values.contactPhone,
    settlementAccount: { accountName: values.accountName, bankName: values.bankName, accountNumber: values.accountNumber },
  });
  if (!parsed.success) {
    // the settlement account's fields are flat in the form
    return { errors: issuesOf(parsed.error.issues, (path) => (path[0] === 'settlementAccount' ? String(path[1] ?? 'accountNumber') : path.join('.'))), problem: null, values };
  }
  try {
    await applyForShop(token, text(form, 'key') || randomUUID(), parsed.data);
  } catch (err) {
    return refused(err, values);
  }
  revalidatePath('/[locale]/seller', 'page');
  redirect({ href: '/seller', locale: await getLocale() });
  return accepted;
}

/** The shop the portal shows, for merchants with more than one. */
export async function chooseShopAction(form: FormData): Promise<void> {
  const { shops } = await sellerSession('/seller');
  const id = text(form, 'shopId');
  if (shops.some((s) => s.id === id)) (await cookies()).set(SHOP_COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 365 });
  redirect({ href: '/seller', locale: await getLocale() });
}

/** Creates the draft (keyed, so a double submit makes one) or saves an existing product. */
export async function saveProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { token, shop } = await openShop('/seller/products');
  let sent: unknown;
  try {
    sent = JSON.parse(text(form, 'draft'));
  } catch {
    return { errors: [], problem: 'refused' };
  }
  const draft = ProductDraftShape.safeParse(sent);
  if (!draft.success) return { errors: [], problem: 'refused' };
  const checked = draftToRequest(draft.data);
  if ('errors' in checked) return { errors: checked.errors, problem: null };
  const productId = text(form, 'productId');
  let saved;
  try {
    saved = await saveProduct(token, shop.id, checked.request, productId ? { productId } : { key: text(form, 'key') || randomUUID() });
  } catch (err) {
    return refused(err);
  }
  revalidatePath('/[locale]/seller/products', 'layout');
  redirect({ href: { pathname: `/seller/products/${saved.id}`, query: { saved: '1' } }, locale: await getLocale() });
  return accepted;
}

export async function publishAction(form: FormData): Promise<void> {
  const { token, shop } = await openShop('/seller/products');
  const productId = text(form, 'productId');
  const locale = await getLocale();
  try {
    await setPublished(token, shop.id, productId, text(form, 'publish') === 'true');
  } catch (err) {
    if (!(err instanceof ServiceError) || err.status >= 500) throw err;
    redirect({ href: { pathname: `/seller/products/${productId}`, query: { problem: err.status === 422 ? 'notPublishable' : 'refused' } }, locale });
  }
  revalidatePath('/[locale]/seller/products', 'layout');
  redirect({ href: `/seller/products/${productId}`, locale });
}

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export async function uploadImageAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { token, shop } = await openShop('/seller/products');
  const productId = text(form, 'productId');
  const file = form.get('image');
  if (!(file instanceof File) || file.size === 0) return { errors: [{ field: 'image', message: 'choose a file' }], problem: null };
  const contentType = IMAGE_TYPES.find((t) => t === file.type);
  if (!contentType) return { errors: [{ field: 'image', message: 'PNG, JPEG or WebP' }], problem: 'imageType' };
  if (file.size > MAX_IMAGE_BYTES) return { errors: [{ field: 'image', message: 'at most 2 MiB' }], problem: 'imageSize' };
  try {
    await uploadImage(token, shop.id, productId, text(form, 'key') || randomUUID(), { contentType, dataBase64: Buffer.from(await file.arrayBuffer()).toString('base64') });
  } catch (err) {
    return refused(err);
  }
  revalidatePath('/[locale]/seller/products', 'layout');
  redirect({ href: `/seller/products/${productId}`, locale: await getLocale() });
  return accepted;
}

/** Units received, or a counted correction (+/-) with its reason. */
export async function stockAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { token, shop } = await openShop('/seller/stock');
  const quantity = Number(text(form, 'quantity'));
  const reason = text(form, 'reason').trim();
  const adjust = text(form, 'mode') === 'adjust';
  const values = { quantity: text(form, 'quantity'), reason, mode: adjust ? 'adjust' : 'receive' };
  if (!Number.isInteger(quantity) || quantity === 0 || (!adjust && quantity < 0)) return { errors: [{ field: 'quantity', message: 'a whole number, not 0' }], problem: null, values };
  if (adjust && reason.length < 3) return { errors: [{ field: 'reason', message: 'at least 3 characters' }], problem: null, values };
  try {
    await changeStock(token, shop.id, text(form, 'skuId'), text(form, 'key') || randomUUID(), adjust ? { delta: quantity, reason } : { receive: quantity });
  } catch (err) {
    return refused(err, values);
  }
  const back = text(form, 'back');
  revalidatePath('/[locale]/seller', 'layout');
  redirect({ href: back.startsWith('/seller/') ? back : '/seller/stock', locale: await getLocale() });
  return accepted;
}

/** The parcel rows the ship form has; the first is required, the others are used when filled. */
const SHIP_FORM_PARCELS = 3;

export async function shipAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { token, shop } = await openShop('/seller/orders');
  const values: Record<string, string> = {};
  const parcels: { carrier: string; trackingNumber: string }[] = [];
  for (let i = 0; i < SHIP_FORM_PARCELS; i++) {
    const carrier = text(form, `parcels.${i}.carrier`);
    const trackingNumber = text(form, `parcels.${i}.trackingNumber`).trim();
    values[`parcels.${i}.carrier`] = carrier;
    values[`parcels.${i}.trackingNumber`] = trackingNumber;
    if (i === 0 || trackingNumber) parcels.push({ carrier, trackingNumber });
  }
  const parsed = CreateShipmentRequest.safeParse({ subOrderId: text(form, 'subOrderId'), parcels });
  if (!parsed.success) return { errors: issuesOf(parsed.error.issues), problem: null, values };
  try {
    await createShipment(token, shop.id, text(form, 'key') || randomUUID(), parsed.data);
  } catch (err) {
    return refused(err, values);
  }
  revalidatePath('/[locale]/seller', 'layout');
  redirect({ href: '/seller/orders', locale: await getLocale() });
  return accepted;
}

/** The shop's answer to a buyer's refund request; refusing needs a reason the buyer sees. */
export async function refundDecisionAction(form: FormData): Promise<void> {
  const { token, shop } = await openShop('/seller/orders');
  const locale = await getLocale();
  const reason = text(form, 'reason').trim();
  const approve = text(form, 'decision') === 'approve';
  const subOrderId = text(form, 'subOrderId');
  if (!approve && reason.length < 3) redirect({ href: { pathname: '/seller/orders', query: { target: subOrderId, problem: 'reason' } }, locale });
  try {
    await decideRefund(token, shop.id, subOrderId, text(form, 'refundId'), text(form, 'key') || randomUUID(), approve ? { decision: 'approve' } : { decision: 'reject', reason });
  } catch (err) {
    if (!(err instanceof ServiceError) || err.status >= 500) throw err;
    redirect({ href: { pathname: '/seller/orders', query: { target: subOrderId, problem: 'conflict' } }, locale });
  }
  revalidatePath('/[locale]/seller', 'layout');
  redirect({ href: '/seller/orders', locale });
}

/** A SKU's quantity prices, typed as rows of "from N units" and a price; blank rows are left out. */
export async function tiersAction(_prev: FormState, form: FormData): Promise<FormState> {
  const productId = text(form, 'productId');
  const { token, shop } = await openShop(`/seller/products/${productId}`);
  const currency = text(form, 'currency');
  const typed = form.getAll('minQuantity').map((q, at) => ({ at, q: typeof q === 'string' ? q.trim() : '', p: text(form, `price.${at}`).trim() }));
  // what was typed comes back with a refusal, row by row
  const values = Object.fromEntries(typed.flatMap((r) => [[`q.${r.at}`, r.q], [`p.${r.at}`, r.p]]));
  const rows = typed.filter((r) => r.q || r.p);
  // errors name the row as the form shows it, blank rows included
  const onRow = (field: string) => field.replace(/^tiers\.(\d+)/, (_, k: string) => `tiers.${rows[Number(k)]?.at ?? k}`).replace(/\.price\.(amount|currency)$/, '.price');
  const errors: FormState['errors'] = [];
  const tiers = rows.map((r, i) => {
    const minQuantity = /^\d{1,7}$/.test(r.q) ? Number(r.q) : NaN;
    const amount = toMinor(r.p);
    if (!(minQuantity >= 2)) errors.push({ field: onRow(`tiers.${i}.minQuantity`), message: 'a whole number of at least 2' });
    if (amount === null) errors.push({ field: onRow(`tiers.${i}.price`), message: 'a price such as 58 or 58.50' });
    return { minQuantity, price: { amount: amount ?? 0, currency } };
  });
  if (errors.length) return { errors, problem: null, values };
  try {
    await putTiers(token, shop.id, productId, text(form, 'skuId'), tiers);
  } catch (err) {
    const state = refused(err, values);
    return { ...state, errors: state.errors.map((e) => ({ ...e, field: onRow(e.field) })) };
  }
  revalidatePath('/[locale]/seller/products', 'layout');
  redirect({ href: { pathname: `/seller/products/${productId}`, query: { saved: '1' } }, locale: await getLocale() });
  return accepted;
}

/** The owner invites someone by e-mail; they join when they accept, signed in with that address. */
export async function inviteAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { token, shop } = await openShop('/seller/staff');
  const values = { email: text(form, 'email').trim() };
  try {
    await inviteStaff(token, shop.id, text(form, 'key') || randomUUID(), values.email);
  } catch (err) {
    // the two refusals an owner can act on, said as such: the address is invited already, or the shop has as many open as it may
    const code = err instanceof ServiceError ? err.problem?.code : undefined;
    const problem = code === 'invitation_exists' ? 'invitationExists' : code === 'invitation_limit' ? 'invitationLimit' : undefined;
    return problem ? { ...refused(err, values), problem } : refused(err, values);
  }
  revalidatePath('/[locale]/seller/staff', 'page');
  redirect({ href: '/seller/staff', locale: await getLocale() });
  return accepted;
}

/** The owner withdraws an invitation nobody has accepted; the list shows what holds afterwards either way. */
export async function revokeInvitationAction(form: FormData): Promise<void> {
  const { token, shop } = await openShop('/seller/staff');
  try {
    await revokeInvitation(token, shop.id, text(form, 'invitationId'), text(form, 'key') || randomUUID());
  } catch (err) {
    // accepted meanwhile, or not this shop's: the page shows where it stands now
    if (!(err instanceof ServiceError) || err.status >= 500) throw err;
  }
  revalidatePath('/[locale]/seller/staff', 'page');
  redirect({ href: '/seller/staff', locale: await getLocale() });
}

/** Joins the shop of an invitation, makes it the portal's shop, and fetches tokens that carry the new role. */
export async function acceptInvitationAction(form: FormData): Promise<void> {
  const { token } = await sellerSession('/seller');
  const locale = await getLocale();
  let member;
  try {
    member = await acceptInvitation(token, text(form, 'invitationId'), text(form, 'key') || randomUUID());
  } catch (err) {
    if (!(err instanceof ServiceError) || err.status >= 500) throw err;
    return redirect({ href: { pathname: '/seller', query: { problem: 'invitation' } }, locale });
  }
  const jar = await cookies();
  jar.set(SHOP_COOKIE, member.shopId, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 365 });
  // new tokens here, where an action may set cookies (a redirect to a route handler that set them lost them);
  // if identity has not granted the role yet, the portal says so and offers to try again
  const pair = await refreshTokens(jar.get(REFRESH_COOKIE)?.value ?? '').catch(() => null);
  if (pair) writeSession(jar, pair);
  jar.set(REFRESHED_COOKIE, '1', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 15 });
  return redirect({ href: '/seller', locale });
}

/**
 * Issues coupons funded by the shop: claimable from now for the days given,
 * each usable for the days given after its claim (keyed, so a double submit
 * issues one template).
 */
export async function createCouponAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { token, shop } = await openShop('/seller/coupons');
  const read = couponRequestOf(form);
  if (!read.ok) return read.state;
  try {
    await createShopCoupon(token, shop.id, text(form, 'key') || randomUUID(), read.request);
  } catch (err) {
    return refused(err, read.values);
  }
  revalidatePath('/[locale]/seller/coupons', 'page');
  redirect({ href: '/seller/coupons', locale: await getLocale() });
  return accepted;
}

/** Pauses or resumes claiming of one of the shop's templates. */
export async function couponStatusAction(form: FormData): Promise<void> {
  const { token } = await openShop('/seller/coupons');
  const status = text(form, 'status') === 'paused' ? 'paused' : 'active';
  const locale = await getLocale();
  try {
    await setCouponStatus(token, text(form, 'templateId'), status);
  } catch (err) {
    // a template that is not the shop's (or no longer there): back to the list, which shows what is
    if (!(err instanceof ServiceError) || err.status >= 500) throw err;
  }
  revalidatePath('/[locale]/seller/coupons', 'page');
  redirect({ href: '/seller/coupons', locale });
}

const REDUCTION_FIELDS = ['name.zh-CN', 'name.en', 'kind', 'threshold1', 'off1', 'threshold2', 'off2', 'threshold3', 'off3', 'days', 'repeat'] as const;

/** A form field of the full-reduction form for a path of the request (`tiers.1.off.amount` is the second tier's `off2`). */
function reductionField(path: PropertyKey[]): string {
  const [head, index, part] = path.map(String);
  if (head === 'tiers' && index !== undefined && /^\d+$/.test(index)) return `${part === 'threshold' ? 'threshold' : 'off'}${Number(index) + 1}`;
  if (head === 'tiers') return 'threshold1';
  if (head === 'endsAt' || head === 'startsAt') return 'days';
  if (head === 'scope') return SCOPE_FIELD;
  return path.map(String).join('.');
}

/**
 * Starts a full-reduction activity of the shop, running from now for the days given: up to three
 * tiers of 满 X 减 Y (amounts in yuan) or 满 X 打折 (percent off), or one repeating tier (每满 X 减 Y).
 */
export async function createReductionAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { token, shop } = await openShop('/seller/promotions');
  const values = Object.fromEntries(REDUCTION_FIELDS.map((f) => [f, text(form, f).trim()]));
  const money = (field: string) => {
    const minor = toMinor(values[field] ?? '');
    return minor === null ? null : { amount: minor, currency: 'CNY' };
  };
  const unreadable = REDUCTION_FIELDS.filter((f) => /^(threshold|off)\d$/.test(f) && values[f] !== '' && (values.kind === 'percent-off' && f.startsWith('off') ? !/^\d{1,2}$/.test(values[f] ?? '') : money(f) === null));
  if (unreadable.length) return { errors: unreadable.map((f) => ({ field: f, message: f.startsWith('off') && values.kind === 'percent-off' ? 'a whole percentage such as 10' : 'an amount such as 300 or 299.90' })), problem: null, values };
  const tiers = [1, 2, 3]
    .filter((i) => i === 1 || values[`threshold${i}`] !== '' || values[`off${i}`] !== '')
    .map((i) =>
      values.kind === 'percent-off'
        ? { kind: 'percent-off', threshold: money(`threshold${i}`) ?? { amount: 0, currency: 'CNY' }, percentOff: Number(values[`off${i}`] || 0) }
        : { kind: 'amount-off', threshold: money(`threshold${i}`) ?? { amount: 0, currency: 'CNY' }, off: money(`off${i}`) ?? { amount: 0, currency: 'CNY' } },
    );
  const days = /^\d{1,3}$/.test(values.days ?? '') ? Number(values.days) : 0;
  const now = Date.now();
  const parsed = CreateReductionRequest.safeParse({
    name: { 'zh-CN': values['name.zh-CN'], en: values['name.en'] },
    tiers,
    repeat: values.repeat === 'on',
    scope: scopeOf(form),
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + days * 86_400_000).toISOString(),
  });
  if (!parsed.success) return { errors: issuesOf(parsed.error.issues, reductionField), problem: null, values };
  try {
    await createReduction(token, shop.id, text(form, 'key') || randomUUID(), parsed.data);
  } catch (err) {
    return refused(err, values);
  }
  revalidatePath('/[locale]/seller/promotions', 'page');
  redirect({ href: '/seller/promotions', locale: await getLocale() });
  return accepted;
}

/** Pauses or resumes one of the shop's activities. */
export async function reductionStatusAction(form: FormData): Promise<void> {
  const { token } = await openShop('/seller/promotions');
  const locale = await getLocale();
  try {
    await setReductionStatus(token, text(form, 'reductionId'), text(form, 'status') === 'paused' ? 'paused' : 'active');
  } catch (err) {
    if (!(err instanceof ServiceError) || err.status >= 500) throw err;
  }
  revalidatePath('/[locale]/seller/promotions', 'page');
  redirect({ href: '/seller/promotions', locale });
}

const GROUP_BUY_FIELDS = ['productId', 'skuId', 'title.zh-CN', 'title.en', 'groupSize', 'price', 'hours', 'perUserLimit', 'days'] as const;

/** A form field of the group-buy form for a path of the request. */
function groupBuyField(path: PropertyKey[]): string {
  const [head] = path.map(String);
  if (head === 'price') return 'price';
  if (head === 'title') return `title.${String(path[1] ?? 'en')}`;
  if (head === 'openSeconds') return 'hours';
  if (head === 'endsAt' || head === 'startsAt') return 'days';
  return path.map(String).join('.');
}

/** Starts a group-buy campaign for one of the shop's SKUs, opening groups from now for the days given. */
export async function createGroupBuyAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { token, shop } = await openShop('/seller/group-buys');
  const values = Object.fromEntries(GROUP_BUY_FIELDS.map((f) => [f, text(form, f).trim()]));
  const whole = (f: string) => (/^\d{1,6}$/.test(values[f] ?? '') ? Number(values[f]) : Number.NaN);
  const price = toMinor(values.price ?? '');
  const hours = /^\d{1,3}(\.\d{1,2})?$/.test(values.hours ?? '') ? Number(values.hours) : Number.NaN;
  const unreadable = [
    ...(price === null ? [{ field: 'price', message: 'an amount such as 59 or 59.90' }] : []),
    ...(Number.isNaN(hours) ? [{ field: 'hours', message: 'hours such as 24' }] : []),
    ...(['groupSize', 'perUserLimit', 'days'] as const).filter((f) => Number.isNaN(whole(f))).map((f) => ({ field: f, message: 'a whole number' })),
  ];
  if (unreadable.length) return { errors: unreadable, problem: null, values };
  const now = Date.now();
  const parsed = CreateGroupBuyCampaignRequest.safeParse({
    skuId: values.skuId,
    title: { 'zh-CN': values['title.zh-CN'], en: values['title.en'] },
    groupSize: whole('groupSize'),
    price: { amount: price, currency: 'CNY' },
    openSeconds: Math.round(hours * 3600),
    perUserLimit: whole('perUserLimit'),
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + whole('days') * 86_400_000).toISOString(),
  });
  if (!parsed.success) return { errors: issuesOf(parsed.error.issues, groupBuyField), problem: null, values };
  try {
    await createGroupBuyCampaign(token, shop.id, text(form, 'key') || randomUUID(), parsed.data);
  } catch (err) {
    return refused(err, values, groupBuyField);
  }
  revalidatePath('/[locale]/seller/group-buys', 'page');
  redirect({ href: '/seller/group-buys', locale: await getLocale() });
  return accepted;
}

/** Pauses or resumes opening new groups of one of the shop's campaigns. */
export async function groupBuyStatusAction(form: FormData): Promise<void> {
  const { token } = await openShop('/seller/group-buys');
  const locale = await getLocale();
  try {
    await setGroupBuyCampaignStatus(token, text(form, 'campaignId'), text(form, 'status') === 'paused' ? 'paused' : 'active');
  } catch (err) {
    if (!(err instanceof ServiceError) || err.status >= 500) throw err;
  }
  revalidatePath('/[locale]/seller/group-buys', 'page');
  redirect({ href: '/seller/group-buys', locale });
}

const RETURN_ADDRESS_FIELDS = ['recipient', 'phone', 'province', 'city', 'district', 'street', 'postalCode'] as const;

/** Back to the returns page, saying which return went wrong and how. */
async function toReturns(returnId?: string, problem?: string): Promise<never> {
  revalidatePath('/[locale]/seller', 'layout');
  return redirect({ href: problem && returnId ? { pathname: '/seller/returns', query: { target: returnId, problem } } : '/seller/returns', locale: await getLocale() });
}

async function returnStep(returnId: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!(err instanceof ServiceError) || err.status >= 500) throw err;
    const field = err.problem?.errors?.[0]?.field;
    await toReturns(returnId, err.status === 409 ? 'conflict' : field ? `field:${field}` : 'refused');
  }
}

/** Approve a return with the address the goods go to (the shop's), or refuse it with a reason the buyer sees. */
export async function returnDecisionAction(form: FormData): Promise<void> {
  const { token, shop } = await openShop('/seller/returns');
  const returnId = text(form, 'returnId');
  if (text(form, 'decision') === 'reject') {
    const reason = text(form, 'reason').trim();
    if (reason.length < 3) await toReturns(returnId, 'reason');
    await returnStep(returnId, () => decideReturn(token, shop.id, returnId, text(form, 'key') || randomUUID(), { decision: 'reject', reason }));
    return toReturns();
  }
  const address: Record<string, string> = Object.fromEntries(RETURN_ADDRESS_FIELDS.map((f): [string, string] => [f, text(form, f).trim()]).filter(([, v]) => v !== ''));
  const parsed = ReturnAddress.safeParse(address);
  if (!parsed.success) return toReturns(returnId, `field:returnAddress.${String(parsed.error.issues[0]?.path[0] ?? 'street')}`);
  await returnStep(returnId, () => decideReturn(token, shop.id, returnId, text(form, 'key') || randomUUID(), { decision: 'approve', returnAddress: parsed.data }));
  return toReturns();
}

/** The goods came back: the units to put back in stock (`restock:<skuId>`), or a dispute with a reason. */
export async function returnReceiptAction(form: FormData): Promise<void> {
  const { token, shop } = await openShop('/seller/returns');
  const returnId = text(form, 'returnId');
  if (text(form, 'decision') === 'dispute') {
    const reason = text(form, 'reason').trim();
    if (reason.length < 3) await toReturns(returnId, 'reason');
    await returnStep(returnId, () => receiveReturn(token, shop.id, returnId, text(form, 'key') || randomUUID(), { decision: 'dispute', reason }));
    return toReturns();
  }
  const restock = [...form.keys()].filter((k) => /^restock:[0-9a-f-]{36}$/i.test(k)).map((k) => ({ skuId: k.slice(8), quantity: Number(text(form, k) || '0') }));
  if (restock.some((l) => !Number.isInteger(l.quantity) || l.quantity < 0)) return toReturns(returnId, 'field:restock');
  await returnStep(returnId, () => receiveReturn(token, shop.id, returnId, text(form, 'key') || randomUUID(), { decision: 'received', ...(restock.length ? { restock } : {}) }));
  return toReturns();
}

/** How many days after delivery the shop's buyers may ask to return goods. */
export async function returnPolicyAction(form: FormData): Promise<void> {
  const { token, shop } = await openShop('/seller/returns');
  const days = Number(text(form, 'returnWindowDays'));
  if (!Number.isInteger(days) || days < 0 || days > 90) return toReturns('policy', 'field:returnWindowDays');
  await returnStep('policy', () => putAfterSalesPolicy(token, shop.id, days));
  return toReturns();
}
