import type { Transaction } from '@emporium/kit';
import { CatalogInternal, type SkuOwner, type Reservation, type ReserveRequest, type RestockRequest, type Stock } from '@emporium/contracts';
import { ConflictError, InvocationError, requireShopStaff, NotFoundError, type Principal } from '@emporium/kit';
import { attachFlashLine, confirmFlashLine, releaseFlashLine } from './flash-sales';
import { afterUnitsChanged } from './stock-signals';
import type { InventoryContext } from './inventory-context';


type ReservationRow = Reservation & { buyerUserId: string | null };
const publicOf = ({ buyerUserId: _buyer, ...r }: ReservationRow): Reservation => r;

/**
 * An order's flash-sale lines take the buyer's held units from their sales'
 * actors (idempotent by order). When some buyer holds too few, the whole
 * order's reservation is released and refused.
 */
async function attachFlash(ctx: InventoryContext, orderId: string, rows: ReservationRow[]): Promise<void> {
  const missing: string[] = [];
  for (const r of rows.filter((x) => x.flashSaleId !== null && x.status === 'held')) {
    const answer = await attachFlashLine(ctx, r, r.buyerUserId!);
    if (!answer.ok) missing.push(r.skuId);
  }
  if (missing.length === 0) return;
  await release(ctx, orderId, 'flash-sale units not held');
  throw new ConflictError('the buyer holds too few flash-sale units for some lines (hold them first, or the hold expired)', { skuIds: missing });
}

/** Which shop and product a SKU belongs to: kept from the first touch, asked of catalog before that. */
async function ownerOf(ctx: InventoryContext, skuId: string): Promise<SkuOwner> {
  const known = await ctx.repo.owner(skuId);
  if (known) return { skuId, ...known };
  try {
    return await ctx.sidecar.call(CatalogInternal.getSkuOwner, { params: { skuId } });
  } catch (err) {
    if (err instanceof InvocationError && err.status === 404) throw new NotFoundError('no such SKU');
    throw err;
  }
}

/** A merchant's SKU: owner or staff of the shop it belongs to, else 404 (no hint that it exists). */
async function ownSku(ctx: InventoryContext, caller: Principal, shopId: string, skuId: string): Promise<SkuOwner> {
  requireShopStaff(caller, shopId);
  const owner = await ownerOf(ctx, skuId);
  if (owner.shopId !== shopId) throw new NotFoundError('no such SKU');
  return owner;
}

async function current(ctx: InventoryContext, skuId: string, t?: Transaction): Promise<Stock> {
  const s = await ctx.repo.stock(skuId, t);
  if (!s) throw new NotFoundError('no such SKU');
  const { lowStockAlerted: _alerted, inStockSignalled: _signalled, ...stock } = s;
  return stock;
}

export async function shopStock(ctx: InventoryContext, caller: Principal, shopId: string, productId?: string): Promise<Stock[]> {
  requireShopStaff(caller, shopId);
  return ctx.repo.shopStock(shopId, productId);
}

export async function stockDetail(ctx: InventoryContext, caller: Principal, shopId: string, skuId: string) {
  const owner = await ownSku(ctx, caller, shopId, skuId);
  const s = await ctx.repo.stock(skuId);
  if (!s) {
    // never stocked: all zero
    const zero: Stock = { skuId, shopId, productId: owner.productId, received: 0, available: 0, reserved: 0, sold: 0, lowStockThreshold: null, level: 'out_of_stock', updatedAt: new Date(0).toISOString() };
    return { ...zero, movements: [] };
  }
  const { lowStockAlerted: _alerted, inStockSignalled: _signalled, ...stock } = s;
  return { ...stock, movements: await ctx.repo.movements(skuId) };
}

export async function receive(ctx: InventoryContext, caller: Principal, shopId: string, skuId: string, input: { quantity: number; reason?: string | undefined }): Promise<Stock> {
  const owner = await ownSku(ctx, caller, shopId, skuId);
  return ctx.db.transaction(async (t) => {
    await ctx.repo.ensure(owner, t);
    await ctx.repo.changeReceived(skuId, input.quantity, t);
    await ctx.repo.movement({ skuId, kind: 'receive', quantity: input.quantity, reason: input.reason ?? null, actorUserId: caller.userId }, t);
    await afterUnitsChanged(ctx, skuId, t);
    return current(ctx, skuId, t);
  });
}

export async function adjust(ctx: InventoryContext, caller: Principal, shopId: string, skuId: string, input: { delta: number; reason: string }): Promise<Stock> {
  const owner = await ownSku(ctx, caller, shopId, skuId);
  return ctx.db.transaction(async (t) => {
    await ctx.repo.ensure(owner, t);
    if (!(await ctx.repo.changeReceived(skuId, input.delta, t))) {
      const s = await current(ctx, skuId, t);
      throw new ConflictError(`only ${s.available} units are available to remove; reserved and sold units cannot be adjusted`, { available: s.available });
    }
    await ctx.repo.movement({ skuId, kind: 'adjust', quantity: input.delta, reason: input.reason, actorUserId: caller.userId }, t);
    await afterUnitsChanged(ctx, skuId, t);
    return current(ctx, skuId, t);
  });
}

export async function putThreshold(ctx: InventoryContext, caller: Principal, shopId: string, skuId: string, threshold: number | null): Promise<Stock> {
  const owner = await ownSku(ctx, caller, shopId, skuId);
  return ctx.db.transaction(async (t) => {
    await ctx.repo.ensure(owner, t);
    await ctx.repo.setThreshold(skuId, threshold, t);
    await afterUnitsChanged(ctx, skuId, t);
    return current(ctx, skuId, t);
  });
}

class StaleReservation extends Error {}

/**
 * Holds units for every line of an order, or none. The same order with the
 * same lines answers what the first call did (whatever happened since); the
 * same order id with other lines is a conflict.
 */
export async function reserve(ctx: InventoryContext, input: ReserveRequest): Promise<{ orderId: string; items: Reservation[] }> {
  const sameLines = (existing: Reservation[]) =>
    existing.length === input.lines.length &&
    input.lines.every((l) => existing.some((r) => r.lineId === l.lineId && r.skuId === l.skuId && r.quantity === l.quantity && r.flashSaleId === (l.flashSaleId ?? null)));
  const answerExisting = async () => {
    const existing = await ctx.repo.reservationRows(input.orderId);
    if (!sameLines(existing)) throw new ConflictError(`order ${input.orderId} already holds other lines`);
    const gone = existing.find((r) => r.status === 'released' || r.status === 'expired');
    if (gone) throw new ConflictError(`order ${input.orderId}'s units were already ${gone.status}`);
    // a first call that stopped after its commit left the flash-sale lines to take
    await attachFlash(ctx, input.orderId, existing);
    return { orderId: input.orderId, items: existing.map(publicOf) };
  };
  if ((await ctx.repo.reservations(input.orderId)).length > 0) return answerExisting();

  const expiresAt = new Date(Date.now() + (input.holdSeconds ?? ctx.holdSeconds) * 1000);
  // flash-sale lines take units the sale set aside, not available stock
  const stockLines = input.lines.filter((l) => l.flashSaleId === undefined);
  try {
    const rows = await ctx.db.transaction(async (t) => {
      // claim the lines first: a concurrent call with the same order waits here, then finds them taken
      const inserted = await ctx.repo.insertReservations(input.orderId, input.lines, expiresAt, input.buyerUserId ?? null, t);
      if (inserted.length !== input.lines.length) throw new StaleReservation();
      const short: string[] = [];
      // in SKU order, so two orders never lock the same rows in opposite orders
      for (const line of [...stockLines].sort((a, b) => a.skuId.localeCompare(b.skuId))) {
        if (!(await ctx.repo.hold(line.skuId, line.quantity, t))) short.push(line.skuId);
      }
      if (short.length > 0) throw new ConflictError('not enough units available', { skuIds: [...new Set(short)] });
      for (const line of stockLines) {
        await ctx.repo.movement({ skuId: line.skuId, kind: 'reserve', quantity: -line.quantity, orderId: input.orderId, reason: line.lineId }, t);
        await afterUnitsChanged(ctx, line.skuId, t);
      }
      return ctx.repo.reservationRows(input.orderId, t);
    });
    await attachFlash(ctx, input.orderId, rows);
    return { orderId: input.orderId, items: rows.map(publicOf) };
  } catch (err) {
    if (err instanceof StaleReservation) return answerExisting();
    // a SKU that has never been stocked has no row: the reservation's foreign key says so
    if (err instanceof Error && /reservations_sku_id_fkey/.test(err.message)) throw new ConflictError('not enough units available', { skuIds: input.lines.map((l) => l.skuId) });
    if (err instanceof Error && /reservations_flash_sale_id_fkey/.test(err.message)) throw new ConflictError('no such flash sale', { flashSaleIds: input.lines.flatMap((l) => l.flashSaleId ?? []) });
    throw err;
  }
}

export async function reservationsOf(ctx: InventoryContext, orderId: string) {
  const items = await ctx.repo.reservations(orderId);
  if (items.length === 0) throw new NotFoundError(`no reservations for order ${orderId}`);
  return { orderId, items };
}

/** Paid: held units become sold. Again after success answers the same; after a release or expiry, 409. */
export async function confirm(ctx: InventoryContext, orderId: string) {
  const gone = (items: Reservation[]) => {
    const g = items.filter((r) => r.status === 'released' || r.status === 'expired');
    if (g.length > 0) throw new ConflictError(`order ${orderId}'s units were already ${g[0]?.status}`, { lineIds: g.map((r) => r.lineId) });
  };
  // the sales' actors first: they decide whether flash-sale units are still the order's (again after a crash: same answer)
  const before = await ctx.repo.reservationRows(orderId);
  if (before.length === 0) throw new NotFoundError(`no reservations for order ${orderId}`);
  gone(before);
  for (const r of before.filter((x) => x.flashSaleId !== null && x.status === 'held')) {
    const answer = await confirmFlashLine(ctx, r, r.buyerUserId!);
    if (!answer.ok) throw new ConflictError(`order ${orderId}'s flash-sale units were already released`, { lineIds: [r.lineId] });
  }
  return ctx.db.transaction(async (t) => {
    const items = await ctx.repo.reservations(orderId, t, true);
    gone(items);
    await sell(ctx, orderId, items.filter((r) => r.status === 'held'), t);
    return { orderId, items: await ctx.repo.reservations(orderId, t) };
  });
}

/** Held lines of an order become sold: each an audited `confirm` movement, a flash-sale line counted sold in its allocation. */
async function sell(ctx: InventoryContext, orderId: string, lines: readonly Reservation[], t: Transaction): Promise<void> {
  for (const r of [...lines].sort((a, b) => a.skuId.localeCompare(b.skuId))) {
    // flash-sale units sat in `reserved` since the sale set them aside
    await ctx.repo.settle(r.skuId, r.quantity, 'sold', t);
    await ctx.repo.movement({ skuId: r.skuId, kind: 'confirm', quantity: r.quantity, orderId, reason: r.lineId }, t);
    if (r.flashSaleId) await ctx.repo.addAllocationSold(r.flashSaleId, r.quantity, t);
  }
  if (lines.length > 0) await ctx.repo.setReservationStatus(orderId, lines.map((r) => r.lineId), 'confirmed', t);
}

/** Cancelled: held units go back. Confirmed lines stay sold (refunds restock separately). Idempotent. */
export async function release(ctx: InventoryContext, orderId: string, reason: string, kind: 'release' | 'expire' = 'release', t?: Transaction) {
  const run = async (tx: Transaction) => {
    const rows = await ctx.repo.reservationRows(orderId, tx, true);
    // flash-sale units go back to their sale (the actor), whose stock stays set aside; again after a crash: nothing more
    const soldBySale = new Set<string>();
    for (const r of rows.filter((x) => x.flashSaleId !== null && x.status !== 'confirmed')) {
      const answer = await releaseFlashLine(ctx, r, r.buyerUserId!);
      // the order was paid and its confirm told the sale first (confirm asks the actor before it
      // takes these rows): the sale has the units as sold, so they are, and the confirm finds them so
      if (!answer.ok && answer.reason === 'sold') soldBySale.add(r.lineId);
      else if (!answer.ok) ctx.logger.error({ orderId, lineId: r.lineId, reason: answer.reason }, 'flash-sale line not released');
    }
    const items = rows.map(publicOf);
    const sold = items.filter((r) => r.status === 'held' && soldBySale.has(r.lineId));
    await sell(ctx, orderId, sold, tx);
    if (sold.length > 0) ctx.logger.warn({ orderId, lineIds: sold.map((r) => r.lineId), kind }, 'flash-sale lines the sale had sold are confirmed, not released');
    const held = items.filter((r) => r.status === 'held' && !soldBySale.has(r.lineId));
    for (const r of [...held].filter((x) => x.flashSaleId === null).sort((a, b) => a.skuId.localeCompare(b.skuId))) {
      await ctx.repo.settle(r.skuId, r.quantity, 'available', tx);
      await ctx.repo.movement({ skuId: r.skuId, kind, quantity: r.quantity, orderId, reason }, tx);
      await afterUnitsChanged(ctx, r.skuId, tx);
    }
    if (held.length > 0) await ctx.repo.setReservationStatus(orderId, held.map((r) => r.lineId), kind === 'expire' ? 'expired' : 'released', tx);
    return { orderId, items: await ctx.repo.reservations(orderId, tx), releasedLineIds: held.map((r) => r.lineId) };
  };
  return t ? run(t) : ctx.db.transaction(run);
}

/** One pass of the expiry sweeper: unpaid holds past their time go back, with an event per order. */
export async function expireDue(ctx: InventoryContext, limit = 100): Promise<number> {
  return ctx.db.transaction(async (t) => {
    const orders = await ctx.repo.expiredOrders(limit, t);
    for (const orderId of orders) {
      const { releasedLineIds } = await release(ctx, orderId, 'hold expired', 'expire', t);
      if (releasedLineIds.length > 0) await ctx.events.stage(t, 'stock.reservation-expired', { orderId, lineIds: releasedLineIds });
    }
    return orders.length;
  });
}

/**
 * Sold units back in stock, once per reference (a return's id, a refund's):
 * never more of a SKU than the order bought and has not had back already,
 * each SKU an audited `restock` movement with the reason. Asked again, the
 * same answer.
 */
export async function restockSold(ctx: InventoryContext, reference: string, input: RestockRequest) {
  return ctx.db.transaction(async (t) => {
    // the reference is claimed first: a second call with it waits here for
    // the first to commit and answers what it did (a lock on a restock row
    // that does not exist yet would hold nothing back)
    if (!(await ctx.repo.insertRestock({ reference, orderId: input.orderId, shopId: input.shopId, lines: input.lines, reason: input.reason }, t))) {
      const done = (await ctx.repo.restock(reference, t))!;
      return { reference, lines: done.lines, restockedAt: done.at.toISOString() };
    }
    for (const [i, l] of [...input.lines].sort((a, b) => a.skuId.localeCompare(b.skuId)).entries()) {
      // the stock row is held before what the order has had back is read, so
      // two references restocking one order's SKU at once count each other
      const owner = await ctx.repo.stock(l.skuId, t, true);
      if (owner?.shopId !== input.shopId) throw new NotFoundError(`no SKU ${l.skuId} of the shop`);
      const { sold, restocked } = await ctx.repo.soldToOrder(input.orderId, l.skuId, t);
      if (restocked + l.quantity > sold || !(await ctx.repo.unsell(l.skuId, l.quantity, t))) {
        throw new ConflictError(`order ${input.orderId} has ${sold - restocked} units of this SKU left to take back`, { field: `lines.${i}.quantity` });
      }
      await ctx.repo.movement({ skuId: l.skuId, kind: 'restock', quantity: l.quantity, orderId: input.orderId, reason: input.reason }, t);
      await afterUnitsChanged(ctx, l.skuId, t);
    }
    return { reference, lines: input.lines, restockedAt: new Date().toISOString() };
  });
}
