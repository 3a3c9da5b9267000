import { z } from 'zod';
import { bilingual } from './i18n';
import { Price, SpecValues, TierPrice } from './catalog';
import { StockLevel } from './inventory';

/**
 * Carts: lines by SKU and quantity, one per user and one per guest (named by
 * an opaque token the client keeps and sends as X-Cart-Token). Kept in Dapr's
 * state store with ETags. Prices shown are informative; checkout's quote decides.
 */
export const CartQuantity = z.number().int().min(1).max(999);

export const PutCartLineRequest = z.object({ quantity: CartQuantity, selected: z.boolean().default(true) }).strict();
export type PutCartLineRequest = z.infer<typeof PutCartLineRequest>;
export const MergeCartRequest = z.object({ cartToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a token from POST /guest-carts') }).strict();
export const GuestCart = z.object({ cartToken: z.string() }).strict();

/** What is wrong with a line now. */
export const CartLineFlag = z.enum(['unknown', 'unpublished', 'inactive', 'shop_suspended', 'out_of_stock', 'insufficient_stock']);

export const CartLine = z
  .object({
    skuId: z.uuid(),
    quantity: CartQuantity,
    selected: z.boolean(),
    addedAt: z.iso.datetime(),
    /** null when catalog no longer knows the SKU */
    productId: z.uuid().nullable(),
    name: bilingual(120).nullable(),
    specValues: SpecValues.nullable(),
    image: z.string().nullable(),
    price: Price.nullable(),
    tiers: z.array(TierPrice),
    companyPrice: Price.nullable(),
    available: z.number().int().min(0),
    level: StockLevel,
    flags: z.array(CartLineFlag),
  })
  .strict();
export type CartLine = z.infer<typeof CartLine>;

export const Cart = z
  .object({
    shops: z.array(z.object({ shopId: z.uuid().nullable(), lines: z.array(CartLine) }).strict()),
    lineCount: z.number().int(),
    /** selected lines that can be bought as they are */
    checkoutReady: z.boolean(),
    updatedAt: z.iso.datetime().nullable(),
  })
  .strict();
export type Cart = z.infer<typeof Cart>;

/** order → cart: the lines a user selected, and removing them once ordered. */
export const StoredCartLine = z.object({ skuId: z.uuid(), quantity: CartQuantity, selected: z.boolean(), addedAt: z.iso.datetime() }).strict();
export type StoredCartLine = z.infer<typeof StoredCartLine>;
export const RemoveCartLinesRequest = z.object({ skuIds: z.array(z.uuid()).min(1).max(100) }).strict();
