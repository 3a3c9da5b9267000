import { z } from 'zod';
import { defineOperations, type ApiOperation } from './operation';
import { Cart, GuestCart, MergeCartRequest, PutCartLineRequest, RemoveCartLinesRequest, StoredCartLine } from './cart';

const app = 'cart' as const;

/** cart's public operations: the signed-in user's cart, or a guest's named by X-Cart-Token. */
export const CartPublic = defineOperations({
  createGuestCart: { operationId: 'createGuestCart', method: 'post', path: '/guest-carts', appId: app, access: 'anyone', summary: 'A new guest cart; send its token as X-Cart-Token', responses: { 201: { description: 'Token', schema: GuestCart } } },
  getCart: { operationId: 'getCart', method: 'get', path: '/cart', appId: app, access: 'anyone', summary: 'Lines grouped by shop, each with its current price and stock and what is wrong with it', responses: { 200: { description: 'Cart', schema: Cart } } },
  putCartLine: { operationId: 'putCartLine', method: 'put', path: '/cart/lines/:skuId', appId: app, access: 'anyone', summary: 'Set a line (quantity, selected for checkout)', request: PutCartLineRequest, responses: { 200: { description: 'Cart', schema: Cart }, 422: { description: 'The SKU cannot be bought' } } },
  deleteCartLine: { operationId: 'deleteCartLine', method: 'delete', path: '/cart/lines/:skuId', appId: app, access: 'anyone', summary: 'Remove a line', responses: { 200: { description: 'Cart', schema: Cart } } },
  mergeGuestCart: { operationId: 'mergeGuestCart', method: 'post', path: '/cart/merge', appId: app, summary: "At sign-in: the guest cart's lines join the user's (quantities add up) and the guest cart is gone", request: MergeCartRequest, responses: { 200: { description: 'Cart', schema: Cart } } },
});
export const CartOperations: readonly ApiOperation[] = Object.values(CartPublic);

/** order's calls through its sidecar. */
export const CartInternal = defineOperations({
  getStoredCart: { operationId: 'getStoredCart', method: 'get', path: '/internal/carts/:userId', appId: app, internal: true, callers: ['order'], summary: "A user's lines as stored",
    responses: { 200: { description: 'Lines', schema: z.object({ lines: z.array(StoredCartLine) }) } } },
  removeCartLines: { operationId: 'removeCartLines', method: 'post', path: '/internal/carts/:userId/remove', appId: app, internal: true, callers: ['order'], summary: 'Remove ordered lines', request: RemoveCartLinesRequest,
    responses: { 200: { description: 'Lines left', schema: z.object({ lines: z.array(StoredCartLine) }) } } },
});
