import type { BilingualText, CouponScope, CreateReductionRequest, Reduction, ReductionTier } from '@emporium/contracts';
import type { Database } from '@emporium/kit';

interface ReductionRow {
  id: string;
  shop_id: string;
  name: BilingualText;
  tiers: ReductionTier[];
  repeat: boolean;
  scope: CouponScope;
  starts_at: Date;
  ends_at: Date;
  status: Reduction['status'];
  created_at: Date;
}

function toReduction(r: ReductionRow, now = new Date()): Reduction {
  return {
    id: r.id,
    shopId: r.shop_id,
    name: r.name,
    tiers: r.tiers,
    repeat: r.repeat,
    scope: r.scope,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    status: r.status,
    phase: now < r.starts_at ? 'upcoming' : now < r.ends_at ? 'running' : 'ended',
    createdAt: r.created_at.toISOString(),
  };
}

const RUNNING = "status = 'active' AND starts_at <= now() AND ends_at > now()";

export class ReductionRepository {
  constructor(private readonly db: Database) {}

  /** A new activity; the id comes from the caller's Idempotency-Key, so the same request again returns it. */
  async insert(id: string, shopId: string, input: CreateReductionRequest, createdBy: string): Promise<Reduction> {
    const [row] = await this.db.query<ReductionRow>(
      `INSERT INTO reductions (id, shop_id, name, currency, tiers, repeat, scope, starts_at, ends_at, created_by)
       VALUES (:id, :shopId, :name, :currency, :tiers, :repeat, :scope, :startsAt, :endsAt, :createdBy)
       ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id
       RETURNING *`,
      {
        id,
        shopId,
        name: JSON.stringify(input.name),
        currency: input.tiers[0]!.threshold.currency,
        tiers: JSON.stringify(input.tiers),
        repeat: input.repeat,
        scope: JSON.stringify(input.scope),
        startsAt: new Date(input.startsAt).toISOString(),
        endsAt: new Date(input.endsAt).toISOString(),
        createdBy,
      },
    );
    return toReduction(row!);
  }

  async byId(id: string): Promise<Reduction | undefined> {
    const [row] = await this.db.query<ReductionRow>('SELECT * FROM reductions WHERE id = :id', { id });
    return row && toReduction(row);
  }

  /** A shop's activities, running and upcoming first, then ended ones, newest first. */
  async ofShop(shopId: string, limit = 100): Promise<Reduction[]> {
    const rows = await this.db.query<ReductionRow>('SELECT * FROM reductions WHERE shop_id = :shopId ORDER BY (ends_at <= now()), created_at DESC LIMIT :limit', { shopId, limit });
    return rows.map((r) => toReduction(r));
  }

  /** The activities running now in these shops (the quote's input). */
  async runningIn(shopIds: readonly string[]): Promise<Reduction[]> {
    if (shopIds.length === 0) return [];
    const rows = await this.db.query<ReductionRow>(`SELECT * FROM reductions WHERE shop_id IN (:shopIds) AND ${RUNNING} ORDER BY ends_at, id`, { shopIds });
    return rows.map((r) => toReduction(r));
  }

  /** A shop's running activities that reach a product: scope all, the product, or a category of its path. */
  async runningFor(shopId: string, product?: { productId: string; categoryPath: readonly string[] }): Promise<Reduction[]> {
    const where = ['shop_id = :shopId', RUNNING];
    if (product) {
      const byCategory = product.categoryPath.length ? " OR (scope->>'kind' = 'categories' AND scope->'categoryIds' ?| ARRAY[:categoryPath])" : '';
      where.push(`(scope->>'kind' = 'all' OR (scope->>'kind' = 'products' AND scope->'productIds' ? :productId)${byCategory})`);
    }
    const rows = await this.db.query<ReductionRow>(`SELECT * FROM reductions WHERE ${where.join(' AND ')} ORDER BY ends_at, id LIMIT 20`, { shopId, ...product });
    return rows.map((r) => toReduction(r));
  }

  async setStatus(id: string, status: Reduction['status']): Promise<Reduction | undefined> {
    const [row] = await this.db.query<ReductionRow>('UPDATE reductions SET status = :status WHERE id = :id RETURNING *', { id, status });
    return row && toReduction(row);
  }
}
