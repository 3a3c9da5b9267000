import { CatalogInternal, InventoryInternal, type CreateFlashSaleRequest, type FlashSale } from '@emporium/contracts';
import { ConflictError, InvocationError, NotFoundError, requireShopStaff, UnprocessableError, ValidationError, type Principal } from '@emporium/kit';
import type { MarketingContext } from './marketing-context';


/**
 * Creates a flash sale of one of the shop's SKUs. The campaign id comes from
 * the caller's Idempotency-Key, so a retry after a crash allocates and stores
 * the same campaign instead of setting units aside twice. Units are set aside
 * (inventory) before the campaign is stored: a campaign shoppers can see
 * always has its units.
 */
export async function createFlashSale(
  ctx: MarketingContext,
  caller: Principal,
  shopId: string,
  campaignId: string,
  input: CreateFlashSaleRequest,
): Promise<FlashSale> {
  requireShopStaff(caller, shopId);
  const existing = await ctx.flashSales.get(campaignId);
  if (existing) return existing;
  const [offer] = (await ctx.sidecar.call(CatalogInternal.getSkuOffers, { body: { skuIds: [input.skuId] } })).items;
  if (!offer || offer.shopId !== shopId) throw new ValidationError([{ field: 'skuId', code: 'unknown', message: "not a SKU of this shop" }]);
  if (!offer.purchasable) throw new UnprocessableError(`SKU ${input.skuId} cannot be sold now (${offer.unavailableReason})`, { field: 'skuId' });
  if (input.price.currency !== offer.price.currency) throw new ValidationError([{ field: 'price.currency', code: 'currency', message: `the SKU is priced in ${offer.price.currency}` }]);
  if (input.price.amount > offer.price.amount) throw new ValidationError([{ field: 'price.amount', code: 'above_list', message: `at most the list price, ${offer.price.amount}` }]);

  try {
    await ctx.sidecar.call(InventoryInternal.allocateFlashSale, {
      body: { campaignId, skuId: input.skuId, quantity: input.quantity, perUserLimit: input.perUserLimit, startsAt: input.startsAt, endsAt: input.endsAt },
    });
  } catch (err) {
    if (err instanceof InvocationError && err.status === 409) throw new ConflictError(`fewer than ${input.quantity} units of the SKU are in stock`, { field: 'quantity' });
    throw err;
  }
  return ctx.flashSales.insert({
    id: campaignId,
    shopId,
    skuId: input.skuId,
    productId: offer.productId,
    title: input.title,
    price: input.price,
    listPrice: offer.price,
    quantity: input.quantity,
    perUserLimit: input.perUserLimit,
    startsAt: new Date(input.startsAt).toISOString(),
    endsAt: new Date(input.endsAt).toISOString(),
    stacksWithPromotions: input.stacksWithPromotions,
    createdBy: caller.userId,
  });
}

export async function flashSale(ctx: Pick<MarketingContext, 'flashSales'>, id: string): Promise<FlashSale> {
  const sale = await ctx.flashSales.get(id);
  if (!sale) throw new NotFoundError('no such flash sale');
  return sale;
}
