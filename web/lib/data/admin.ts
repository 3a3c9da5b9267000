import 'server-only';
import { randomUUID } from 'node:crypto';
import { type z } from 'zod';
import { type CompanyStatus, type CreateCategoryRequest, type CreateCouponTemplateRequest, type DashboardSummary, type ShopStatus, type SpecDefinition, CatalogPublic, IdentityPublic, MarketingPublic, OrderPublic, PaymentPublic, ShopPublic } from '@emporium/contracts';
import { call, orNull } from './sidecar';

/** The platform summary: every service counts its own rows, asked at once. */
export async function summary(token: string): Promise<DashboardSummary> {
  const [identity, shops, products, orders] = await Promise.all([
    call(IdentityPublic.identityStats, { token }),
    call(ShopPublic.shopStats, { token }),
    call(CatalogPublic.catalogStats, { token }),
    call(OrderPublic.orderStats, { token }),
  ]);
  return { users: identity.users, companies: identity.companies, shops: shops.shops, products: products.products, orders, generatedAt: new Date().toISOString() };
}

export async function shopsIn(token: string, status: ShopStatus) {
  return (await call(ShopPublic.listShops, { token, query: { status } })).items;
}

export async function decideShop(token: string, shopId: string, decision: { decision: 'approve' } | { decision: 'reject'; reason: string }, key: string = randomUUID()) {
  return call(ShopPublic.decideShop, { params: { shopId }, token, body: decision, headers: { 'idempotency-key': key } });
}

/** Suspend (with the reason the merchant sees) or resume a shop. */
export async function suspendShop(token: string, shopId: string, change: { suspend: true; reason: string } | { suspend: false }, key: string = randomUUID()) {
  return change.suspend
    ? call(ShopPublic.suspendShop, { params: { shopId }, token, body: { reason: change.reason }, headers: { 'idempotency-key': key } })
    : call(ShopPublic.resumeShop, { params: { shopId }, token, headers: { 'idempotency-key': key } });
}

export async function setCommission(token: string, shopId: string, commissionBps: number) {
  return call(ShopPublic.setCommission, { params: { shopId }, token, body: { commissionBps } });
}

export async function companiesIn(token: string, status: z.infer<typeof CompanyStatus>) {
  return (await call(IdentityPublic.listCompanies, { token, query: { status } })).items;
}

export async function decideCompany(token: string, companyId: string, decision: { decision: 'approve' } | { decision: 'reject'; reason: string }, key: string = randomUUID()) {
  return call(IdentityPublic.decideCompany, { params: { companyId }, token, body: decision, headers: { 'idempotency-key': key } });
}

/** A company's credit line for paying on invoice; null while none is set. */
export async function invoiceTerms(token: string, companyId: string) {
  return orNull(call(PaymentPublic.getInvoiceTerms, { params: { companyId }, token }), [404]);
}

export async function setInvoiceTerms(token: string, companyId: string, terms: { creditLimit: { amount: number; currency: string }; termDays: number }) {
  return call(PaymentPublic.putInvoiceTerms, { params: { companyId }, token, body: terms });
}

export async function createCategory(token: string, key: string, body: CreateCategoryRequest) {
  return call(CatalogPublic.createCategory, { token, body, headers: { 'idempotency-key': key } });
}

export async function putSpecTemplate(token: string, categoryId: string, specs: SpecDefinition[]) {
  return call(CatalogPublic.putSpecTemplate, { params: { categoryId }, token, body: { specs } });
}

/** The ledger's invariants, checked by payment now. */
export async function ledgerCheck(token: string) {
  return call(PaymentPublic.checkLedger, { token });
}

export async function payoutBatches(token: string) {
  return (await call(PaymentPublic.listPayoutBatches, { token })).items;
}

/** Pays every shop's receivable out in one batch; a retry with the key answers the same batch. */
export async function payOut(token: string, key: string, currency = 'CNY') {
  return call(PaymentPublic.createPayoutBatch, { token, body: { currency }, headers: { 'idempotency-key': key } });
}

export async function invoicesOf(token: string, companyId: string) {
  return (await call(PaymentPublic.listInvoices, { params: { companyId }, token })).items;
}

/** Records that the company paid this invoice. */
export async function settleInvoice(token: string, paymentId: string, key: string) {
  return call(PaymentPublic.settleInvoice, { params: { paymentId }, token, headers: { 'idempotency-key': key } });
}

/** The platform's coupon templates (funded by the platform), newest first. */
export async function platformCoupons(token: string) {
  return (await call(MarketingPublic.listPlatformCouponTemplates, { token })).items;
}

export async function createPlatformCoupon(token: string, key: string, body: CreateCouponTemplateRequest) {
  return call(MarketingPublic.createPlatformCouponTemplate, { token, body, headers: { 'idempotency-key': key } });
}

/** A user by the e-mail address or phone number they sign in with; null when nobody does. */
export async function findUser(token: string, login: string) {
  return orNull(call(IdentityPublic.findUser, { token, query: { login } }));
}

/** Gives one coupon of an issuing template to a user, with the reason they read (a compensation). */
export async function issueCoupon(token: string, templateId: string, key: string, body: { userId: string; reason: string }) {
  return call(MarketingPublic.issueCoupon, { params: { templateId }, token, body, headers: { 'idempotency-key': key } });
}
