import 'server-only';
import { z } from 'zod';
import {
  type ApplyShopRequest,
  type CreateProductRequest,
  Product,
  Shop,
  ShopLedger,
  ShopOrderSummary,
  ShopProductPage,
  SpecTemplate,
  StaffInvitation,
  StaffMember,
  Stock,
  SubOrder,
  SubOrderRefund,
  type SubOrderStatus,
  type UploadImageRequest,
} from '@emporium/contracts';
import { invoke } from './sidecar';

/**
 * The seller portal's calls. Every one carries the merchant's token; the
 * services check that the caller works for the shop, so a page never decides
 * access by itself.
 */
const MyShop = Shop.extend({ myRole: StaffMember.shape.role });
export type MyShop = z.infer<typeof MyShop>;

export async function myShops(token: string): Promise<MyShop[]> {
  return (await invoke('shop', '/shops/mine', z.object({ items: z.array(MyShop) }), { token })).items;
}

export async function applyForShop(token: string, key: string, body: ApplyShopRequest) {
  return invoke('shop', '/shops', Shop, { token, method: 'POST', body, headers: { 'idempotency-key': key } });
}

export async function orderSummary(token: string, shopId: string, timeZone: string) {
  return invoke('order', `/shops/${shopId}/order-summary?timeZone=${encodeURIComponent(timeZone)}`, ShopOrderSummary, { token });
}

export async function shopProducts(token: string, shopId: string, cursor?: string) {
  return invoke('catalog', `/shops/${shopId}/products${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, ShopProductPage, { token });
}

export async function ownProduct(token: string, shopId: string, productId: string) {
  return invoke('catalog', `/shops/${shopId}/products/${productId}`, Product, { token });
}

export async function specTemplate(categoryId: string) {
  return invoke('catalog', `/categories/${categoryId}/spec-template`, SpecTemplate);
}

/** Creates a draft (with an Idempotency-Key) or replaces an existing product's fields and matrix. */
export async function saveProduct(token: string, shopId: string, body: CreateProductRequest, target: { productId: string } | { key: string }) {
  return 'productId' in target
    ? invoke('catalog', `/shops/${shopId}/products/${target.productId}`, Product, { token, method: 'PUT', body })
    : invoke('catalog', `/shops/${shopId}/products`, Product, { token, method: 'POST', body, headers: { 'idempotency-key': target.key } });
}

export async function setPublished(token: string, shopId: string, productId: string, published: boolean) {
  return invoke('catalog', `/shops/${shopId}/products/${productId}/${published ? 'publish' : 'unpublish'}`, Product, { token, method: 'POST' });
}

export async function uploadImage(token: string, shopId: string, productId: string, key: string, body: UploadImageRequest) {
  return invoke('catalog', `/shops/${shopId}/products/${productId}/images`, Product, { token, method: 'POST', body, headers: { 'idempotency-key': key } });
}

export async function shopStock(token: string, shopId: string, productId?: string) {
  return (await invoke('inventory', `/shops/${shopId}/stock${productId ? `?productId=${productId}` : ''}`, z.object({ items: z.array(Stock) }), { token })).items;
}

/** Units arrived (quantity > 0) or a counted correction with its reason. */
export async function changeStock(token: string, shopId: string, skuId: string, key: string, change: { receive: number } | { delta: number; reason: string }) {
  return 'receive' in change
    ? invoke('inventory', `/shops/${shopId}/stock/${skuId}/receipts`, Stock, { token, method: 'POST', body: { quantity: change.receive }, headers: { 'idempotency-key': key } })
    : invoke('inventory', `/shops/${shopId}/stock/${skuId}/adjustments`, Stock, { token, method: 'POST', body: change, headers: { 'idempotency-key': key } });
}

export async function shopOrders(token: string, shopId: string, status?: SubOrderStatus) {
  return (await invoke('order', `/shops/${shopId}/orders${status ? `?status=${status}` : ''}`, z.object({ items: z.array(SubOrder) }), { token })).items;
}

export async function shipSubOrder(token: string, shopId: string, subOrderId: string, key: string, shipment: { carrier: string; trackingNumber: string }) {
  return invoke('order', `/shops/${shopId}/orders/${subOrderId}/ship`, SubOrder, { token, method: 'POST', body: shipment, headers: { 'idempotency-key': key } });
}

export async function shopLedger(token: string, shopId: string) {
  return (await invoke('payment', `/shops/${shopId}/ledger`, z.object({ items: z.array(ShopLedger) }), { token })).items;
}

/** Approve a buyer's refund (the money goes back the way it came) or refuse it with a reason the buyer sees. */
export async function decideRefund(token: string, shopId: string, subOrderId: string, refundId: string, key: string, decision: { decision: 'approve' } | { decision: 'reject'; reason: string }) {
  return invoke('order', `/shops/${shopId}/orders/${subOrderId}/refunds/${refundId}/decision`, SubOrderRefund, { token, method: 'POST', body: decision, headers: { 'idempotency-key': key } });
}

/** A SKU's quantity prices (at least `minQuantity` units, each at `price`); an empty list removes them. */
export async function putTiers(token: string, shopId: string, productId: string, skuId: string, tiers: { minQuantity: number; price: { amount: number; currency: string } }[]) {
  return invoke('catalog', `/shops/${shopId}/products/${productId}/skus/${skuId}/tiers`, Product, { token, method: 'PUT', body: { tiers } });
}

/** Who works for the shop, and (for its owner) the invitations not yet answered. */
export async function staffOf(token: string, shopId: string, owner: boolean) {
  const [members, open] = await Promise.all([
    invoke('shop', `/shops/${shopId}/staff`, z.object({ items: z.array(StaffMember) }), { token }),
    owner ? invoke('shop', `/shops/${shopId}/staff-invitations`, z.object({ items: z.array(StaffInvitation) }), { token }) : { items: [] },
  ]);
  return { members: members.items, open: open.items };
}

export async function inviteStaff(token: string, shopId: string, key: string, email: string) {
  return invoke('shop', `/shops/${shopId}/staff-invitations`, StaffInvitation, { token, method: 'POST', body: { email }, headers: { 'idempotency-key': key } });
}

/** Invitations to work for a shop, sent to the signed-in user's address. */
export async function myInvitations(token: string) {
  return (await invoke('shop', '/me/staff-invitations', z.object({ items: z.array(StaffInvitation) }), { token })).items;
}

export async function acceptInvitation(token: string, invitationId: string, key: string) {
  return invoke('shop', `/me/staff-invitations/${invitationId}/accept`, StaffMember, { token, method: 'POST', headers: { 'idempotency-key': key } });
}
