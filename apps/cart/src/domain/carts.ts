import { createHash, randomBytes } from 'node:crypto';
import { CatalogInternal, ComponentNames, InventoryPublic, type Availability, type SkuOffer, type Cart, type CartLine, type StoredCartLine } from '@emporium/contracts';
import { ConflictError, NotFoundError, UnprocessableError } from '@emporium/kit';
import type { CartContext } from './cart-context';


/** Whose cart: a signed-in user's, or a guest's named by its token. */
export type Owner = { kind: 'user'; userId: string; companyId: string | null } | { kind: 'guest'; token: string };

interface StoredCart {
  lines: StoredCartLine[];
  updatedAt: string;
}

const store = ComponentNames.stateStore;
// the token is a bearer secret: the state store keeps only its hash
const keyOf = (owner: Owner) => (owner.kind === 'user' ? `user:${owner.userId}` : `guest:${createHash('sha256').update(owner.token).digest('base64url')}`);

export async function createGuestCart(ctx: CartContext): Promise<{ cartToken: string }> {
  const cartToken = randomBytes(32).toString('base64url');
  await ctx.sidecar.createState<StoredCart>(store, keyOf({ kind: 'guest', token: cartToken }), { lines: [], updatedAt: new Date().toISOString() }, ctx.guestTtlSeconds);
  return { cartToken };
}

async function read(ctx: CartContext, owner: Owner) {
  const item = await ctx.sidecar.getState<StoredCart>(store, keyOf(owner));
  if (!item && owner.kind === 'guest') throw new NotFoundError('no such cart (guest carts end after a while without use): make a new one');
  return item;
}

/**
 * Read, change, write with the ETag; on a concurrent write, read again and
 * redo the change (a few times, then 409).
 */
async function mutate(ctx: CartContext, owner: Owner, change: (lines: StoredCartLine[]) => StoredCartLine[]): Promise<StoredCart> {
  const key = keyOf(owner);
  const ttl = owner.kind === 'guest' ? { ttlSeconds: ctx.guestTtlSeconds } : {};
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await read(ctx, owner);
    const next: StoredCart = { lines: change(current?.value.lines ?? []), updatedAt: new Date().toISOString() };
    if (next.lines.length > ctx.maxLines) throw new UnprocessableError(`a cart holds at most ${ctx.maxLines} lines`);
    try {
      if (current) await ctx.sidecar.saveState(store, key, next, current.etag, ttl);
      else await ctx.sidecar.createState(store, key, next);
      return next;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }
  throw new ConflictError('the cart is being changed elsewhere; try again');
}

async function offersOf(ctx: CartContext, skuIds: string[], companyId: string | null): Promise<Map<string, SkuOffer>> {
  if (skuIds.length === 0) return new Map();
  const { items } = await ctx.sidecar.call(CatalogInternal.getSkuOffers, { body: { skuIds, ...(companyId ? { companyId } : {}) } });
  return new Map(items.map((o) => [o.skuId, o]));
}

async function view(ctx: CartContext, owner: Owner, stored: StoredCart | undefined): Promise<Cart> {
  const lines = stored?.lines ?? [];
  const skuIds = lines.map((l) => l.skuId);
  const [offers, stock] = await Promise.all([
    offersOf(ctx, skuIds, owner.kind === 'user' ? owner.companyId : null),
    skuIds.length
      ? ctx.sidecar.call(InventoryPublic.getAvailability, { query: { skuIds: skuIds.join(',') } }).then((b) => new Map(b.items.map((a) => [a.skuId, a])))
      : Promise.resolve(new Map<string, Availability>()),
  ]);
  const shops = new Map<string | null, CartLine[]>();
  for (const l of lines) {
    const offer = offers.get(l.skuId);
    const available = stock.get(l.skuId)?.available ?? 0;
    const flags: CartLine['flags'] = [];
    if (!offer) flags.push('unknown');
    else if (offer.unavailableReason) flags.push(offer.unavailableReason);
    if (available === 0) flags.push('out_of_stock');
    else if (l.quantity > available) flags.push('insufficient_stock');
    const line: CartLine = {
      ...l,
      productId: offer?.productId ?? null,
      name: offer?.name ?? null,
      specValues: offer?.specValues ?? null,
      image: offer?.image ?? null,
      price: offer?.price ?? null,
      tiers: offer?.tiers ?? [],
      companyPrice: offer?.companyPrice ?? null,
      available,
      level: stock.get(l.skuId)?.level ?? 'out_of_stock',
      flags,
    };
    const shopId = offer?.shopId ?? null;
    shops.set(shopId, [...(shops.get(shopId) ?? []), line]);
  }
  const all = [...shops.values()].flat();
  const selected = all.filter((l) => l.selected);
  return {
    shops: [...shops.entries()].map(([shopId, shopLines]) => ({ shopId, lines: shopLines })),
    lineCount: all.length,
    checkoutReady: selected.length > 0 && selected.every((l) => l.flags.length === 0),
    updatedAt: stored?.updatedAt ?? null,
  };
}

export async function getCart(ctx: CartContext, owner: Owner): Promise<Cart> {
  return view(ctx, owner, (await read(ctx, owner))?.value);
}

export async function putLine(ctx: CartContext, owner: Owner, skuId: string, input: { quantity: number; selected: boolean }): Promise<Cart> {
  const offer = (await offersOf(ctx, [skuId], null)).get(skuId);
  if (!offer) throw new NotFoundError('no such SKU');
  if (!offer.purchasable) throw new UnprocessableError(`this SKU cannot be bought now (${offer.unavailableReason})`, { skuId, reason: offer.unavailableReason });
  const stored = await mutate(ctx, owner, (lines) => {
    const existing = lines.find((l) => l.skuId === skuId);
    if (existing) return lines.map((l) => (l.skuId === skuId ? { ...l, quantity: input.quantity, selected: input.selected } : l));
    return [...lines, { skuId, quantity: input.quantity, selected: input.selected, addedAt: new Date().toISOString() }];
  });
  return view(ctx, owner, stored);
}

export async function deleteLine(ctx: CartContext, owner: Owner, skuId: string): Promise<Cart> {
  return view(ctx, owner, await mutate(ctx, owner, (lines) => lines.filter((l) => l.skuId !== skuId)));
}

/**
 * The guest's lines join the user's: quantities add up (at most 999), a line
 * selected in either stays selected. The guest cart is gone afterwards, so a
 * second merge with the same token finds nothing (404) and changes nothing.
 */
export async function mergeGuestCart(ctx: CartContext, user: Owner & { kind: 'user' }, token: string): Promise<Cart> {
  const guest: Owner = { kind: 'guest', token };
  const guestCart = await read(ctx, guest);
  const guestLines = guestCart?.value.lines ?? [];
  const stored = await mutate(ctx, user, (lines) => {
    const merged = [...lines];
    for (const g of guestLines) {
      const i = merged.findIndex((l) => l.skuId === g.skuId);
      if (i < 0) merged.push(g);
      else merged[i] = { ...merged[i]!, quantity: Math.min(999, merged[i]!.quantity + g.quantity), selected: merged[i]!.selected || g.selected };
    }
    return merged;
  });
  await ctx.sidecar.deleteState(store, keyOf(guest), guestCart?.etag).catch((err: unknown) => {
    // changed meanwhile: its newer lines stay for the next merge
    if (!(err instanceof ConflictError)) throw err;
  });
  return view(ctx, user, stored);
}

export async function storedLines(ctx: CartContext, userId: string): Promise<StoredCartLine[]> {
  return (await read(ctx, { kind: 'user', userId, companyId: null }))?.value.lines ?? [];
}

export async function removeLines(ctx: CartContext, userId: string, skuIds: string[]): Promise<StoredCartLine[]> {
  const drop = new Set(skuIds);
  return (await mutate(ctx, { kind: 'user', userId, companyId: null }, (lines) => lines.filter((l) => !drop.has(l.skuId)))).lines;
}
