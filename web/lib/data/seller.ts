import 'server-only';
import { CatalogPublic, InventoryPublic, MarketingPublic, OrderPublic, PaymentPublic, ShopPublic, type AnswerOf, type ApplyShopRequest, type CouponTemplate, type CreateCouponTemplateRequest, type CreateProductRequest, type ReturnDecisionRequest, type ReturnReceiptRequest, type ReturnStatus, type SubOrderStatus, type UploadImageRequest } from '@emporium/contracts';
import { call } from './sidecar';

/**
 * The seller portal's calls. Every one carries the merchant's token; the
 * services check that the caller works for the shop, so a page never decides
 * access by itself.
 */
export type MyShop = AnswerOf<typeof ShopPublic.myShops>['items'][number];

export async function myShops(token: string): Promise<MyShop[]> {
  return (await call(ShopPublic.myShops, { token })).items;
}

export async function applyForShop(token: string, key: string, body: ApplyShopRequest) {
  return call(ShopPublic.applyForShop, { token, body, headers: { 'idempotency-key': key } });
}

export async function orderSummary(token: string, shopId: string, timeZone: string) {
  return call(OrderPublic.shopOrderSummary, { params: { shopId }, token, query: { timeZone } });
}

export async function shopProducts(token: string, shopId: string, cursor?: string) {
  return call(CatalogPublic.listOwnProducts, { params: { shopId }, token, query: { cursor } });
}

/** The shop's published products (up to 100, last changed first), for choosing what a coupon or an activity applies to. */
export async function scopeProducts(token: string, shopId: string): Promise<{ id: string; name: { 'zh-CN': string; en: string } }[]> {
  const page = await call(CatalogPublic.listOwnProducts, { params: { shopId }, token, query: { status: 'published', limit: '100' } });
  return page.items.map((p) => ({ id: p.id, name: p.name }));
}

export async function ownProduct(token: string, shopId: string, productId: string) {
  return call(CatalogPublic.getOwnProduct, { params: { shopId, productId }, token });
}

/** At most this many products are read to name one page's order lines (a page of orders names few). */
const MAX_NAMED_PRODUCTS = 50;

/**
 * What the shop's order lines are, by SKU id: the product's name and the SKU's spec values
 * ("Teapot · Celadon / 300 ml") in the reader's language, read from the shop's own products (any
 * status: one taken off sale since is still named). A product that cannot be read is left out, and
 * its lines show without a name: naming them never stops the page.
 */
export async function ownSkuNames(token: string, shopId: string, productIds: Iterable<string>, locale: 'zh-CN' | 'en'): Promise<Map<string, string>> {
  const ids = [...new Set(productIds)].slice(0, MAX_NAMED_PRODUCTS);
  const products = await Promise.all(ids.map((id) => ownProduct(token, shopId, id).catch(() => null)));
  const names = new Map<string, string>();
  for (const p of products) {
    if (!p) continue;
    for (const sku of p.skus) {
      const values = p.specs.filter((spec) => sku.specValues[spec.key]).map((spec) => spec.values.find((v) => v.key === sku.specValues[spec.key])?.name[locale] ?? sku.specValues[spec.key]);
      names.set(sku.id, values.length ? `${p.name[locale]} · ${values.join(' / ')}` : p.name[locale]);
    }
  }
  return names;
}

export async function specTemplate(categoryId: string) {
  return call(CatalogPublic.getSpecTemplate, { params: { categoryId } });
}

/** Creates a draft (with an Idempotency-Key) or replaces an existing product's fields and matrix. */
export async function saveProduct(token: string, shopId: string, body: CreateProductRequest, target: { productId: string } | { key: string }) {
  return 'productId' in target
    ? call(CatalogPublic.updateProduct, { params: { shopId, productId: target.productId }, token, body })
    : call(CatalogPublic.createProduct, { params: { shopId }, token, body, headers: { 'idempotency-key': target.key } });
}

export async function setPublished(token: string, shopId: string, productId: string, published: boolean) {
  return call(published ? CatalogPublic.publishProduct : CatalogPublic.unpublishProduct, { params: { shopId, productId }, token });
}

export async function uploadImage(token: string, shopId: string, productId: string, key: string, body: UploadImageRequest) {
  return call(CatalogPublic.uploadImage, { params: { shopId, productId }, token, body, headers: { 'idempotency-key': key } });
}

export async function shopStock(token: string, shopId: string, productId?: string) {
  return (await call(InventoryPublic.listShopStock, { params: { shopId }, token, query: { productId } })).items;
}

/** Units arrived (quantity > 0) or a counted correction with its reason. */
export async function changeStock(token: string, shopId: string, skuId: string, key: string, change: { receive: number } | { delta: number; reason: string }) {
  return 'receive' in change
    ? call(InventoryPublic.receiveStock, { params: { shopId, skuId }, token, body: { quantity: change.receive }, headers: { 'idempotency-key': key } })
    : call(InventoryPublic.adjustStock, { params: { shopId, skuId }, token, body: change, headers: { 'idempotency-key': key } });
}

export async function shopOrders(token: string, shopId: string, status?: SubOrderStatus) {
  return (await call(OrderPublic.listShopOrders, { params: { shopId }, token, query: { status } })).items;
}

export async function shopLedger(token: string, shopId: string) {
  return (await call(PaymentPublic.getShopLedger, { params: { shopId }, token })).items;
}

/** Approve a buyer's refund (the money goes back the way it came) or refuse it with a reason the buyer sees. */
export async function decideRefund(token: string, shopId: string, subOrderId: string, refundId: string, key: string, decision: { decision: 'approve' } | { decision: 'reject'; reason: string }) {
  return call(OrderPublic.decideRefund, { params: { shopId, subOrderId, refundId }, token, body: decision, headers: { 'idempotency-key': key } });
}

/** A SKU's quantity prices (at least `minQuantity` units, each at `price`); an empty list removes them. */
export async function putTiers(token: string, shopId: string, productId: string, skuId: string, tiers: { minQuantity: number; price: { amount: number; currency: string } }[]) {
  return call(CatalogPublic.putTiers, { params: { shopId, productId, skuId }, token, body: { tiers } });
}

/** Who works for the shop, and (for its owner) the invitations not yet answered. */
export async function staffOf(token: string, shopId: string, owner: boolean) {
  const [members, open] = await Promise.all([
    call(ShopPublic.listStaff, { params: { shopId }, token }),
    owner ? call(ShopPublic.listShopStaffInvitations, { params: { shopId }, token }) : { items: [] },
  ]);
  return { members: members.items, open: open.items };
}

export async function inviteStaff(token: string, shopId: string, key: string, email: string) {
  return call(ShopPublic.inviteStaff, { params: { shopId }, token, body: { email }, headers: { 'idempotency-key': key } });
}

export async function revokeInvitation(token: string, shopId: string, invitationId: string, key: string) {
  return call(ShopPublic.revokeStaffInvitation, { params: { shopId, invitationId }, token, headers: { 'idempotency-key': key } });
}

/** Invitations to work for a shop, sent to the signed-in user's address. */
export async function myInvitations(token: string) {
  return (await call(ShopPublic.myStaffInvitations, { token })).items;
}

export async function acceptInvitation(token: string, invitationId: string, key: string) {
  return call(ShopPublic.acceptStaffInvitation, { params: { invitationId }, token, headers: { 'idempotency-key': key } });
}

/** The shop's coupon templates with what was claimed and used, newest first. */
export async function shopCoupons(token: string, shopId: string): Promise<CouponTemplate[]> {
  return (await call(MarketingPublic.listShopCouponTemplates, { params: { shopId }, token })).items;
}

export async function createShopCoupon(token: string, shopId: string, key: string, body: CreateCouponTemplateRequest) {
  return call(MarketingPublic.createShopCouponTemplate, { params: { shopId }, token, body, headers: { 'idempotency-key': key } });
}

export async function setCouponStatus(token: string, templateId: string, status: CouponTemplate['status']) {
  return call(MarketingPublic.setCouponTemplateStatus, { params: { templateId }, token, body: { status } });
}

/** The shop's returns, newest first (one status, when given). */
export async function shopReturns(token: string, shopId: string, status?: ReturnStatus) {
  return (await call(OrderPublic.listShopReturns, { params: { shopId }, token, query: status ? { status } : {} })).items;
}

export async function decideReturn(token: string, shopId: string, returnId: string, key: string, body: ReturnDecisionRequest) {
  return call(OrderPublic.decideReturn, { params: { shopId, returnId }, token, body, headers: { 'idempotency-key': key } });
}

export async function receiveReturn(token: string, shopId: string, returnId: string, key: string, body: ReturnReceiptRequest) {
  return call(OrderPublic.receiveReturn, { params: { shopId, returnId }, token, body, headers: { 'idempotency-key': key } });
}

export async function afterSalesPolicy(shopId: string) {
  return call(OrderPublic.getAfterSalesPolicy, { params: { shopId } });
}

export async function putAfterSalesPolicy(token: string, shopId: string, returnWindowDays: number) {
  return call(OrderPublic.putAfterSalesPolicy, { params: { shopId }, token, body: { returnWindowDays } });
}
