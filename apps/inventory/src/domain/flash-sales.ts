import type { FlashAllocation, FlashAllocationRequest, FlashHold, FlashRefusal, FlashSaleAvailability, Reservation } from '@emporium/contracts';
import { ConflictError, NotFoundError, type Sidecar } from '@emporium/kit';
import type { Allocation } from '../data/inventory-repository';
import { FLASH_SALE_ACTOR, flashActorId, type InitInput, type OrderAnswer, type SaleStatus } from './flash-sale-stock';
import type { InventoryContext } from './inventory-context';
import { afterUnitsChanged } from './stock-signals';


/** A refused hold: 409 with the reason as the problem's code. */
export class FlashHoldRefused extends ConflictError {
  override readonly code: FlashRefusal;
  constructor(reason: FlashRefusal, message: string) {
    super(message);
    this.code = reason;
  }
}

const REFUSALS: Record<FlashRefusal, string> = {
  sold_out: 'The flash sale is sold out',
  limit_reached: "You already hold or bought as many units as this flash sale allows per shopper",
  not_started: 'The flash sale has not started',
  ended: 'The flash sale has ended',
};

const toAllocation = (a: Allocation): FlashAllocation => ({ campaignId: a.campaignId, skuId: a.skuId, quantity: a.quantity, sold: a.sold, returned: a.returned, status: a.status });

async function terms(ctx: InventoryContext, campaignId: string): Promise<Allocation> {
  const cached = ctx.allocations.get(campaignId);
  if (cached) return cached;
  const a = await ctx.repo.allocation(campaignId);
  if (!a) throw new NotFoundError('no such flash sale');
  ctx.allocations.set(campaignId, a);
  return a;
}

function invoke<T>(sidecar: Sidecar, a: { campaignId: string; skuId: string }, method: string, body: unknown): Promise<T> {
  return sidecar.invokeActor<T>(FLASH_SALE_ACTOR, flashActorId(a.campaignId, a.skuId), method, body);
}

/**
 * Sets a campaign's units aside: available → reserved in the SKU's stock, then
 * the actor takes them. Idempotent by campaign id; the actor's init is too, so
 * a retry after a crash between the two finishes the job.
 */
export async function allocate(ctx: InventoryContext, input: FlashAllocationRequest): Promise<FlashAllocation> {
  await ctx.db.transaction(async (t) => {
    const stock = await ctx.repo.stock(input.skuId, t);
    if (!stock) throw new ConflictError('the SKU has no stock', { available: 0 });
    if (!(await ctx.repo.insertAllocation(input, t))) return;
    if (!(await ctx.repo.hold(input.skuId, input.quantity, t))) {
      const s = await ctx.repo.stock(input.skuId, t);
      throw new ConflictError(`only ${s?.available ?? 0} units are available`, { available: s?.available ?? 0 });
    }
    await ctx.repo.movement({ skuId: input.skuId, kind: 'reserve', quantity: -input.quantity, orderId: input.campaignId, reason: 'flash sale' }, t);
    await afterUnitsChanged(ctx, input.skuId, t);
  });
  const a = (await ctx.repo.allocation(input.campaignId))!;
  const init: InitInput = {
    campaignId: a.campaignId,
    skuId: a.skuId,
    quantity: a.quantity,
    perUserLimit: a.perUserLimit,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    holdSeconds: ctx.flash.holdSeconds,
    sweepSeconds: ctx.flash.sweepSeconds,
  };
  await invoke<SaleStatus>(ctx.sidecar, a, 'init', init);
  return toAllocation(a);
}

/** A shopper's hold, through the batching gate; refusals are 409 with their reason. */
export async function holdUnits(ctx: InventoryContext, campaignId: string, userId: string, quantity: number, key: string): Promise<FlashHold> {
  const a = await terms(ctx, campaignId);
  // the window is known here, so early and late requests never reach the actor
  const now = Date.now();
  if (now < a.startsAt.getTime()) throw new FlashHoldRefused('not_started', REFUSALS.not_started);
  if (now >= a.endsAt.getTime()) throw new FlashHoldRefused('ended', REFUSALS.ended);
  const result = await ctx.gate.hold(flashActorId(a.campaignId, a.skuId), { userId, quantity, key });
  if (!result.ok) throw new FlashHoldRefused(result.reason, REFUSALS[result.reason]);
  return { campaignId, skuId: a.skuId, quantity: result.quantity, holding: result.holding, expiresAt: new Date(result.expiresAt).toISOString() };
}

export async function availability(ctx: InventoryContext, campaignId: string): Promise<FlashSaleAvailability> {
  const a = await terms(ctx, campaignId);
  const s = await invoke<SaleStatus | null>(ctx.sidecar, a, 'status', {});
  if (!s) throw new NotFoundError('no such flash sale');
  return {
    campaignId,
    skuId: a.skuId,
    quantity: s.quantity,
    remaining: s.remaining,
    held: s.held + s.attached,
    sold: s.sold,
    soldOut: s.remaining === 0,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
  };
}

/** The actor's close: unsold units go back to the SKU's available stock, once. */
export async function closeSale(ctx: InventoryContext, campaignId: string, skuId: string, sold: number): Promise<void> {
  await ctx.db.transaction(async (t) => {
    const a = await ctx.repo.allocation(campaignId, t, true);
    if (!a || a.status === 'closed') return;
    const returned = a.quantity - sold;
    if (returned > 0) {
      await ctx.repo.settle(skuId, returned, 'available', t);
      await ctx.repo.movement({ skuId, kind: 'release', quantity: returned, orderId: campaignId, reason: 'flash sale closed: unsold units back' }, t);
      await afterUnitsChanged(ctx, skuId, t);
    }
    await ctx.repo.closeAllocation(campaignId, returned, t);
  });
}

/** What an order's flash-sale line asks of its sale's actor. */
async function orderCall(ctx: InventoryContext, line: Pick<Reservation, 'orderId' | 'skuId' | 'quantity' | 'flashSaleId'>, userId: string, method: 'attach' | 'confirm' | 'release'): Promise<OrderAnswer> {
  const a = await terms(ctx, line.flashSaleId!);
  if (a.skuId !== line.skuId) return { ok: false, reason: 'unknown_sale' };
  const answer = await invoke<OrderAnswer>(ctx.sidecar, a, method, { orderId: line.orderId, userId, quantity: line.quantity });
  if (method === 'release' && answer.ok && answer.quantity > 0) ctx.gate.unitsReturned(flashActorId(a.campaignId, a.skuId));
  return answer;
}

export const attachFlashLine = (ctx: InventoryContext, line: Reservation, userId: string) => orderCall(ctx, line, userId, 'attach');
export const confirmFlashLine = (ctx: InventoryContext, line: Reservation, userId: string) => orderCall(ctx, line, userId, 'confirm');
export const releaseFlashLine = (ctx: InventoryContext, line: Reservation, userId: string) => orderCall(ctx, line, userId, 'release');
