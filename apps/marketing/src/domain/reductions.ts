import type { CreateReductionRequest, Reduction } from '@emporium/contracts';
import { ConflictError, isShopStaff, NotFoundError, requireShopStaff, type Principal } from '@emporium/kit';
import type { MarketingContext } from './marketing-context';

/** A shop's full-reduction activity (满减 / 满折), funded by the shop; the id comes from the caller's Idempotency-Key. */
export async function createReduction(ctx: MarketingContext, caller: Principal, shopId: string, id: string, input: CreateReductionRequest): Promise<Reduction> {
  requireShopStaff(caller, shopId);
  const made = await ctx.reductions.insert(id, shopId, input, caller.userId);
  if (made.shopId !== shopId) throw new ConflictError('this Idempotency-Key was used for another shop’s activity; send a new key');
  return made;
}

export async function shopReductions(ctx: MarketingContext, caller: Principal, shopId: string): Promise<Reduction[]> {
  requireShopStaff(caller, shopId);
  return ctx.reductions.ofShop(shopId);
}

/** Pausing stops the activity at once (the next quote no longer applies it). Only its shop's staff may: anyone else sees no such activity. */
export async function setReductionStatus(ctx: MarketingContext, caller: Principal, id: string, status: Reduction['status']): Promise<Reduction> {
  const found = await ctx.reductions.byId(id);
  if (!found || !isShopStaff(caller, found.shopId)) throw new NotFoundError('no such activity');
  return (await ctx.reductions.setStatus(id, status))!;
}
