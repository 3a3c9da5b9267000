import type { BilingualText, FlashSale } from '@emporium/contracts';
import { moneyOf, type Database } from '@emporium/kit';

interface FlashSaleRow {
  id: string;
  shop_id: string;
  sku_id: string;
  product_id: string;
  title: BilingualText;
  currency: string;
  price: string;
  list_price: string;
  quantity: number;
  per_user_limit: number;
  starts_at: Date;
  ends_at: Date;
  stacks_with_promotions: boolean;
  created_at: Date;
}

export type NewFlashSale = Omit<FlashSale, 'status' | 'createdAt'> & { createdBy: string };

function statusAt(r: FlashSaleRow, now: Date): FlashSale['status'] {
  if (now < r.starts_at) return 'upcoming';
  return now < r.ends_at ? 'running' : 'ended';
}

function toFlashSale(r: FlashSaleRow, now = new Date()): FlashSale {
  const currency = r.currency.trim();
  return {
    id: r.id,
    shopId: r.shop_id,
    skuId: r.sku_id,
    productId: r.product_id,
    title: r.title,
    price: moneyOf(r.price, currency),
    listPrice: moneyOf(r.list_price, currency),
    quantity: r.quantity,
    perUserLimit: r.per_user_limit,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    status: statusAt(r, now),
    stacksWithPromotions: r.stacks_with_promotions,
    createdAt: r.created_at.toISOString(),
  };
}

export class FlashSaleRepository {
  constructor(private readonly db: Database) {}

  async insert(s: NewFlashSale): Promise<FlashSale> {
    const [row] = await this.db.query<FlashSaleRow>(`INSERT INTO flash_sales (id, shop_id, sku_id, product_id, title, currency, price, list_price, quantity, per_user_limit, starts_at, ends_at, stacks_with_promotions, created_by)
       VALUES (:id, :shopId, :skuId, :productId, :title, :currency, :price, :listPrice, :quantity, :perUserLimit, :startsAt, :endsAt, :stacksWithPromotions, :createdBy)
       ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id
       RETURNING *`, { ...s, title: JSON.stringify(s.title), currency: s.price.currency, price: s.price.amount, listPrice: s.listPrice.amount });
    return toFlashSale(row!);
  }

  async get(id: string): Promise<FlashSale | undefined> {
    const [row] = await this.db.query<FlashSaleRow>('SELECT * FROM flash_sales WHERE id = :id', { id });
    return row && toFlashSale(row);
  }

  async many(ids: string[]): Promise<Map<string, FlashSale>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<FlashSaleRow>('SELECT * FROM flash_sales WHERE id IN (:ids)', { ids });
    return new Map(rows.map((r) => [r.id, toFlashSale(r)]));
  }

  /** Not yet ended (or only those of `status`), soonest end first. */
  async list(filter: { shopId?: string | undefined; status?: FlashSale['status'] | undefined }, limit = 100): Promise<FlashSale[]> {
    const where = ['true'];
    if (filter.shopId) where.push('shop_id = :shopId');
    if (filter.status === 'upcoming') where.push('starts_at > now()');
    else if (filter.status === 'running') where.push('starts_at <= now() AND ends_at > now()');
    else if (filter.status === 'ended') where.push('ends_at <= now()');
    else where.push('ends_at > now()');
    const rows = await this.db.query<FlashSaleRow>(`SELECT * FROM flash_sales WHERE ${where.join(' AND ')} ORDER BY ${filter.status === 'ended' ? 'ends_at DESC' : 'ends_at'}, id LIMIT :limit`, { shopId: filter.shopId, limit });
    return rows.map((r) => toFlashSale(r));
  }
}
