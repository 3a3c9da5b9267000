import type { Transaction } from '@emporium/kit';
import type { InventoryContext } from './inventory-context';

/**
 * What a change of a SKU's available units tells others, staged in the
 * transaction that changed them:
 * - stock.low once when available units fall to the threshold; armed again when they rise above it;
 * - stock.availability-changed when available units cross zero (and the first time a SKU is stocked),
 *   so search can say "in stock" without asking on every query.
 */
export async function afterUnitsChanged(ctx: InventoryContext, skuId: string, t: Transaction): Promise<void> {
  const s = await ctx.repo.stock(skuId, t);
  if (!s) return;
  if (s.lowStockThreshold !== null) {
    const low = s.available <= s.lowStockThreshold;
    if (low && !s.lowStockAlerted) {
      await ctx.repo.setAlerted(skuId, true, t);
      await ctx.events.stage(t, 'stock.low', { skuId, shopId: s.shopId, productId: s.productId, available: s.available, threshold: s.lowStockThreshold });
    } else if (!low && s.lowStockAlerted) {
      await ctx.repo.setAlerted(skuId, false, t);
    }
  }
  const inStock = s.available > 0;
  if (s.inStockSignalled !== inStock) {
    await ctx.repo.setInStockSignalled(skuId, inStock, t);
    await ctx.events.stage(t, 'stock.availability-changed', { skuId, shopId: s.shopId, productId: s.productId, inStock, available: s.available, changedAt: s.updatedAt });
  }
}
