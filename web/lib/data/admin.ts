import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Category, CatalogStats, Company, type CompanyStatus, IdentityStats, Invoice, InvoiceTerms, LedgerCheck, PayoutBatch, OrderStats, Shop, ShopStats, SpecTemplate, type CreateCategoryRequest, type DashboardSummary, type ShopStatus, type SpecDefinition } from '@emporium/contracts';
import { invoke, orNull } from './sidecar';

/** The platform summary: every service counts its own rows, asked at once. */
export async function summary(token: string): Promise<DashboardSummary> {
  const [identity, shops, products, orders] = await Promise.all([
    invoke('identity', '/admin/stats/identity', IdentityStats, { token }),
    invoke('shop', '/admin/stats/shops', ShopStats, { token }),
    invoke('catalog', '/admin/stats/products', CatalogStats, { token }),
    invoke('order', '/admin/stats/orders', OrderStats, { token }),
  ]);
  return { users: identity.users, companies: identity.companies, shops: shops.shops, products: products.products, orders, generatedAt: new Date().toISOString() };
}

export async function shopsIn(token: string, status: ShopStatus) {
  return (await invoke('shop', `/admin/shops?status=${status}`, z.object({ items: z.array(Shop) }), { token })).items;
}

export async function decideShop(token: string, shopId: string, decision: { decision: 'approve' } | { decision: 'reject'; reason: string }, key: string = randomUUID()) {
  return invoke('shop', `/admin/shops/${shopId}/decision`, Shop, { token, method: 'POST', body: decision, headers: { 'idempotency-key': key } });
}

/** Suspend (with the reason the merchant sees) or resume a shop. */
export async function suspendShop(token: string, shopId: string, change: { suspend: true; reason: string } | { suspend: false }, key: string = randomUUID()) {
  return change.suspend
    ? invoke('shop', `/admin/shops/${shopId}/suspend`, Shop, { token, method: 'POST', body: { reason: change.reason }, headers: { 'idempotency-key': key } })
    : invoke('shop', `/admin/shops/${shopId}/resume`, Shop, { token, method: 'POST', headers: { 'idempotency-key': key } });
}

export async function setCommission(token: string, shopId: string, commissionBps: number) {
  return invoke('shop', `/admin/shops/${shopId}/commission`, Shop, { token, method: 'PUT', body: { commissionBps } });
}

export async function companiesIn(token: string, status: z.infer<typeof CompanyStatus>) {
  return (await invoke('identity', `/admin/companies?status=${status}`, z.object({ items: z.array(Company) }), { token })).items;
}

export async function decideCompany(token: string, companyId: string, decision: { decision: 'approve' } | { decision: 'reject'; reason: string }, key: string = randomUUID()) {
  return invoke('identity', `/admin/companies/${companyId}/decision`, Company, { token, method: 'POST', body: decision, headers: { 'idempotency-key': key } });
}

/** A company's credit line for paying on invoice; null while none is set. */
export async function invoiceTerms(token: string, companyId: string) {
  return orNull(invoke('payment', `/companies/${companyId}/invoice-terms`, InvoiceTerms, { token }), [404]);
}

export async function setInvoiceTerms(token: string, companyId: string, terms: { creditLimit: { amount: number; currency: string }; termDays: number }) {
  return invoke('payment', `/admin/companies/${companyId}/invoice-terms`, InvoiceTerms, { token, method: 'PUT', body: terms });
}

export async function createCategory(token: string, key: string, body: CreateCategoryRequest) {
  return invoke('catalog', '/admin/categories', Category, { token, method: 'POST', body, headers: { 'idempotency-key': key } });
}

export async function putSpecTemplate(token: string, categoryId: string, specs: SpecDefinition[]) {
  return invoke('catalog', `/admin/categories/${categoryId}/spec-template`, SpecTemplate, { token, method: 'PUT', body: { specs } });
}

/** The ledger's invariants, checked by payment now. */
export async function ledgerCheck(token: string) {
  return invoke('payment', '/admin/ledger', LedgerCheck, { token });
}

export async function payoutBatches(token: string) {
  return (await invoke('payment', '/admin/payouts', z.object({ items: z.array(PayoutBatch) }), { token })).items;
}

/** Pays every shop's receivable out in one batch; a retry with the key answers the same batch. */
export async function payOut(token: string, key: string, currency = 'CNY') {
  return invoke('payment', '/admin/payouts', PayoutBatch, { token, method: 'POST', body: { currency }, headers: { 'idempotency-key': key } });
}

export async function invoicesOf(token: string, companyId: string) {
  return (await invoke('payment', `/companies/${companyId}/invoices`, z.object({ items: z.array(Invoice) }), { token })).items;
}

/** Records that the company paid this invoice. */
export async function settleInvoice(token: string, paymentId: string, key: string) {
  return invoke('payment', `/admin/invoices/${paymentId}/settlement`, Invoice, { token, method: 'POST', headers: { 'idempotency-key': key } });
}
