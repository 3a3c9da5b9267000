import { CatalogInternal, type Category } from '@emporium/contracts';
import type { Logger, Sidecar } from '@emporium/kit';

/**
 * catalog's category tree as search needs it (names to index and to label
 * the category facet), asked of catalog and kept for `refreshMs`; asked again
 * sooner when a product names a category not seen yet.
 */
export class CategoryDirectory {
  private byId = new Map<string, Category>();
  private fetchedAt = 0;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly sidecar: Sidecar,
    private readonly logger: Logger,
    private readonly refreshMs: number,
    private readonly onNames: (names: string[]) => void,
  ) {}

  /** The tree, fresh enough; with every id of `needed` when catalog has them. */
  async get(needed: readonly string[] = []): Promise<ReadonlyMap<string, Category>> {
    const stale = Date.now() - this.fetchedAt > this.refreshMs;
    if (stale || needed.some((id) => !this.byId.has(id))) await this.refresh();
    return this.byId;
  }

  /**
   * What is known now, without waiting (a shopper's search never waits on
   * catalog): when it is stale, a refresh starts in the background.
   */
  known(): ReadonlyMap<string, Category> {
    if (Date.now() - this.fetchedAt > this.refreshMs) void this.refresh();
    return this.byId;
  }

  private refresh(): Promise<void> {
    this.pending ??= (async () => {
      try {
        const { items } = await this.sidecar.call(CatalogInternal.getCategoryTree, {}, { timeoutMs: 5_000 });
        this.byId = new Map(items.map((c) => [c.id, c]));
        this.onNames(items.flatMap((c) => [c.name['zh-CN']]));
      } catch (err) {
        this.logger.warn({ err }, 'categories not refreshed from catalog; the ones known stay');
      } finally {
        // a failure is not retried on every event: the next try waits a tenth of the refresh interval
        this.fetchedAt = this.byId.size > 0 ? Date.now() : Date.now() - this.refreshMs * 0.9;
        this.pending = null;
      }
    })();
    return this.pending;
  }
}
