import { CatalogInternal, InventoryPublic, type IndexRebuild, type ProductSnapshot } from '@emporium/contracts';
import type { Transaction } from '@emporium/kit';
import { documentOf } from './documents';
import type { SearchContext } from './search-context';

/**
 * Writes a product's document in `t` (an older snapshot than the one indexed
 * is ignored); its brand joins jieba's words.
 */
export async function indexProduct(ctx: SearchContext, product: ProductSnapshot, t: Transaction): Promise<boolean> {
  ctx.analyzer.addWords([product.brand]);
  const categories = await ctx.categories.get(product.categoryPath);
  const { doc, vocabulary, labels } = documentOf(ctx.analyzer, product, categories);
  const written = await ctx.repo.upsert(doc, t);
  if (written) {
    await ctx.repo.addVocabulary(vocabulary, t);
    await ctx.repo.putSpecLabels(labels, t);
  }
  return written;
}

export async function unindexProduct(ctx: SearchContext, product: ProductSnapshot, t: Transaction): Promise<boolean> {
  return ctx.repo.unpublish(product.id, new Date(product.updatedAt), t);
}

/**
 * Starts a rebuild in the background unless one runs (in any replica, under a
 * live lease); answers the progress either way.
 */
export async function startRebuild(ctx: SearchContext): Promise<IndexRebuild> {
  const startedAt = await ctx.repo.claimRebuild(ctx.rebuild.leaseSeconds);
  if (startedAt) {
    void runRebuild(ctx, startedAt).catch(async (err: unknown) => {
      ctx.logger.error({ err }, 'search index rebuild failed');
      await ctx.repo.finishRebuild(startedAt, { error: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
    });
  }
  return ctx.repo.rebuild();
}

/**
 * Pages through catalog's published products in id order, indexing each with
 * its SKUs' stock from inventory; events go on being applied meanwhile (a
 * document's version decides which write wins). At the end, documents
 * neither the rebuild nor any event touched since it began are unpublished.
 */
async function runRebuild(ctx: SearchContext, startedAt: Date): Promise<void> {
  let after: string | undefined;
  let indexed = 0;
  ctx.logger.info({}, 'search index rebuild started');
  for (;;) {
    const page = await ctx.sidecar.call(CatalogInternal.listProductSnapshots, { query: { ...(after ? { after } : {}), limit: String(ctx.rebuild.pageSize) } });
    const stock = await stockOf(ctx, page.items.flatMap((p) => p.skus.map((s) => ({ skuId: s.id, productId: p.id }))));
    await ctx.db.transaction(async (t) => {
      // the page's products first, in one order: an event's handler holds one product at a time
      await ctx.repo.lockProducts(page.items.map((p) => p.id), t);
      await ctx.repo.setSuspendedShops([...new Set(page.items.map((p) => p.shopId))], page.suspendedShopIds, t);
      for (const s of stock) await ctx.repo.setSkuStock({ ...s, changedAt: startedAt }, t);
      for (const p of page.items) await indexProduct(ctx, p, t);
      await ctx.repo.markRebuilt(page.items.map((p) => p.id), startedAt, t);
      await ctx.repo.refreshInStock(page.items.map((p) => p.id), t);
    });
    indexed += page.items.length;
    if (!(await ctx.repo.rebuildProgress(startedAt, { indexed, total: Math.max(page.total, indexed) }))) {
      ctx.logger.warn({ indexed }, 'search index rebuild was taken over by another replica; this one stops');
      return;
    }
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  const removed = await ctx.repo.unpublishMissed(startedAt);
  await ctx.repo.finishRebuild(startedAt, { removed });
  ctx.logger.info({ indexed, removed }, 'search index rebuilt');
}

/** Whether each SKU has units available now, asked of inventory 200 at a time. */
async function stockOf(ctx: SearchContext, skus: { skuId: string; productId: string }[]): Promise<{ skuId: string; productId: string; inStock: boolean }[]> {
  const out: { skuId: string; productId: string; inStock: boolean }[] = [];
  for (let i = 0; i < skus.length; i += 200) {
    const chunk = skus.slice(i, i + 200);
    const { items } = await ctx.sidecar.call(InventoryPublic.getAvailability, { query: { skuIds: chunk.map((s) => s.skuId).join(',') } });
    const available = new Map(items.map((a) => [a.skuId, a.available]));
    for (const s of chunk) out.push({ ...s, inStock: (available.get(s.skuId) ?? 0) > 0 });
  }
  return out;
}
