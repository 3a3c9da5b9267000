import { randomUUID } from 'node:crypto';
import type { Transaction } from '@emporium/kit';
import type { Availability, Reservation, Stock, StockLevel } from '@emporium/contracts';
import type { Database } from '@emporium/kit';

interface StockRow {
  sku_id: string;
  shop_id: string;
  product_id: string;
  received: number;
  available: number;
  reserved: number;
  sold: number;
  low_stock_threshold: number | null;
  low_stock_alerted: boolean;
  in_stock_signalled: boolean | null;
  updated_at: Date;
}

interface ReservationRow {
  order_id: string;
  line_id: string;
  sku_id: string;
  quantity: number;
  status: Reservation['status'];
  expires_at: Date;
  flash_sale_id: string | null;
  buyer_user_id: string | null;
}

interface AllocationRow {
  campaign_id: string;
  sku_id: string;
  quantity: number;
  per_user_limit: number;
  starts_at: Date;
  ends_at: Date;
  sold: number;
  returned: number;
  status: 'open' | 'closed';
}

export interface Allocation {
  campaignId: string;
  skuId: string;
  quantity: number;
  perUserLimit: number;
  startsAt: Date;
  endsAt: Date;
  sold: number;
  returned: number;
  status: 'open' | 'closed';
}

const toAllocation = (r: AllocationRow): Allocation => ({
  campaignId: r.campaign_id,
  skuId: r.sku_id,
  quantity: r.quantity,
  perUserLimit: r.per_user_limit,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  sold: r.sold,
  returned: r.returned,
  status: r.status,
});

export type MovementKind = 'receive' | 'adjust' | 'reserve' | 'confirm' | 'release' | 'expire' | 'restock';

export function levelOf(available: number, threshold: number | null): StockLevel {
  if (available === 0) return 'out_of_stock';
  return threshold !== null && available <= threshold ? 'low' : 'in_stock';
}

export const toStock = (r: StockRow): Stock => ({
  skuId: r.sku_id,
  shopId: r.shop_id,
  productId: r.product_id,
  received: r.received,
  available: r.available,
  reserved: r.reserved,
  sold: r.sold,
  lowStockThreshold: r.low_stock_threshold,
  level: levelOf(r.available, r.low_stock_threshold),
  updatedAt: r.updated_at.toISOString(),
});

const toReservation = (r: ReservationRow): Reservation => ({
  orderId: r.order_id,
  lineId: r.line_id,
  skuId: r.sku_id,
  quantity: r.quantity,
  status: r.status,
  expiresAt: r.expires_at.toISOString(),
  flashSaleId: r.flash_sale_id,
});

export class InventoryRepository {
  constructor(private readonly db: Database) {}

  private q<T extends object>(sql: string, replacements: Record<string, unknown>, t?: Transaction): Promise<T[]> {
    return this.db.query<T>(sql, replacements, t);
  }

  async stock(skuId: string, t?: Transaction, lock = false): Promise<Stock & { lowStockAlerted: boolean; inStockSignalled: boolean | null } | undefined> {
    const [row] = await this.q<StockRow>(`SELECT * FROM stock WHERE sku_id = :skuId${lock ? ' FOR UPDATE' : ''}`, { skuId }, t);
    return row && { ...toStock(row), lowStockAlerted: row.low_stock_alerted, inStockSignalled: row.in_stock_signalled };
  }

  async setInStockSignalled(skuId: string, inStock: boolean, t: Transaction): Promise<void> {
    await this.db.query('UPDATE stock SET in_stock_signalled = :inStock WHERE sku_id = :skuId', { skuId, inStock }, t);
  }

  async shopStock(shopId: string, productId?: string): Promise<Stock[]> {
    const rows = await this.q<StockRow>(
      `SELECT * FROM stock WHERE shop_id = :shopId ${productId ? 'AND product_id = :productId' : ''} ORDER BY product_id, sku_id LIMIT 1000`,
      { shopId, productId },
    );
    return rows.map(toStock);
  }

  async availability(skuIds: string[]): Promise<Availability[]> {
    const rows = await this.q<StockRow>('SELECT * FROM stock WHERE sku_id IN (:skuIds)', { skuIds });
    const bySku = new Map(rows.map((r) => [r.sku_id, r]));
    return skuIds.map((skuId) => {
      const r = bySku.get(skuId);
      return { skuId, available: r?.available ?? 0, level: r ? levelOf(r.available, r.low_stock_threshold) : 'out_of_stock' };
    });
  }

  /** The row of a SKU, made empty on first touch; answers the row locked for this transaction. */
  async ensure(owner: { skuId: string; shopId: string; productId: string }, t: Transaction): Promise<void> {
    await this.db.query('INSERT INTO stock (sku_id, shop_id, product_id) VALUES (:skuId, :shopId, :productId) ON CONFLICT (sku_id) DO NOTHING', owner, t);
  }

  async owner(skuId: string, t?: Transaction): Promise<{ shopId: string; productId: string } | undefined> {
    const [row] = await this.q<{ shop_id: string; product_id: string }>('SELECT shop_id, product_id FROM stock WHERE sku_id = :skuId', { skuId }, t);
    return row && { shopId: row.shop_id, productId: row.product_id };
  }

  /** received and available move together; answers false when fewer units are available than removed. */
  async changeReceived(skuId: string, delta: number, t: Transaction): Promise<boolean> {
    const rows = await this.q<{ sku_id: string }>(
      `UPDATE stock SET received = received + :delta, available = available + :delta, updated_at = now()
       WHERE sku_id = :skuId AND available + :delta >= 0 RETURNING sku_id`,
      { skuId, delta },
      t,
    );
    return rows.length === 1;
  }

  /** available → reserved; false when not enough units are available. */
  async hold(skuId: string, quantity: number, t: Transaction): Promise<boolean> {
    const rows = await this.q<{ sku_id: string }>(
      `UPDATE stock SET available = available - :quantity, reserved = reserved + :quantity, updated_at = now()
       WHERE sku_id = :skuId AND available >= :quantity RETURNING sku_id`,
      { skuId, quantity },
      t,
    );
    return rows.length === 1;
  }

  /** reserved → available (release, expiry) or reserved → sold (confirm). */
  async settle(skuId: string, quantity: number, to: 'available' | 'sold', t: Transaction): Promise<void> {
    await this.db.query(`UPDATE stock SET reserved = reserved - :quantity, ${to} = ${to} + :quantity, updated_at = now() WHERE sku_id = :skuId`, { skuId, quantity }, t);
  }

  /** sold → available: units sold to an order come back (returned, or refunded before they left); false when fewer were sold. */
  async unsell(skuId: string, quantity: number, t: Transaction): Promise<boolean> {
    const rows = await this.q<{ sku_id: string }>(
      'UPDATE stock SET sold = sold - :quantity, available = available + :quantity, updated_at = now() WHERE sku_id = :skuId AND sold >= :quantity RETURNING sku_id',
      { skuId, quantity },
      t,
    );
    return rows.length === 1;
  }

  /** A restock done once per reference: its lines as written then. */
  async restock(reference: string, t: Transaction, lock = false): Promise<{ reference: string; orderId: string; shopId: string; lines: { skuId: string; quantity: number }[]; at: Date } | undefined> {
    const [row] = await this.db.select<{ reference: string; orderId: string; shopId: string; lines: { skuId: string; quantity: number }[]; at: Date }>(`SELECT * FROM restocks WHERE reference = :reference${lock ? ' FOR UPDATE' : ''}`, { reference }, t);
    return row;
  }

  /** Units of a SKU an order bought (confirmed) and units of it restocked for that order so far. */
  async soldToOrder(orderId: string, skuId: string, t: Transaction): Promise<{ sold: number; restocked: number }> {
    const [row] = await this.db.select<{ sold: string; restocked: string }>(
      `SELECT (SELECT coalesce(sum(quantity), 0) FROM reservations WHERE order_id = :orderId AND sku_id = :skuId AND status = 'confirmed') AS sold,
              (SELECT coalesce(sum(quantity), 0) FROM stock_movements WHERE order_id = :orderId AND sku_id = :skuId AND kind = 'restock') AS restocked`,
      { orderId, skuId },
      t,
    );
    return { sold: Number(row!.sold), restocked: Number(row!.restocked) };
  }

  async insertRestock(r: { reference: string; orderId: string; shopId: string; lines: { skuId: string; quantity: number }[]; reason: string }, t: Transaction): Promise<boolean> {
    return (await this.db.run('INSERT INTO restocks (reference, order_id, shop_id, lines, reason) VALUES (:reference, :orderId, :shopId, :lines::jsonb, :reason) ON CONFLICT DO NOTHING', { ...r, lines: JSON.stringify(r.lines) }, t)) > 0;
  }

  async setThreshold(skuId: string, threshold: number | null, t: Transaction): Promise<void> {
    await this.db.query('UPDATE stock SET low_stock_threshold = :threshold, low_stock_alerted = false, updated_at = now() WHERE sku_id = :skuId', { skuId, threshold }, t);
  }

  async setAlerted(skuId: string, alerted: boolean, t: Transaction): Promise<void> {
    await this.db.query('UPDATE stock SET low_stock_alerted = :alerted WHERE sku_id = :skuId', { skuId, alerted }, t);
  }

  async movement(
    m: { skuId: string; kind: MovementKind; quantity: number; reason?: string | null; orderId?: string | null; actorUserId?: string | null },
    t: Transaction,
  ): Promise<void> {
    await this.db.query(`INSERT INTO stock_movements (id, sku_id, kind, quantity, reason, order_id, actor_user_id)
       VALUES (:id, :skuId, :kind, :quantity, :reason, :orderId, :actorUserId)`, { id: randomUUID(), reason: null, orderId: null, actorUserId: null, ...m }, t);
  }

  async movements(skuId: string, limit = 50) {
    const rows = await this.q<{ id: string; kind: MovementKind; quantity: number; reason: string | null; order_id: string | null; actor_user_id: string | null; at: Date }>(
      'SELECT * FROM stock_movements WHERE sku_id = :skuId ORDER BY at DESC, id LIMIT :limit',
      { skuId, limit },
    );
    return rows.map((r) => ({ id: r.id, kind: r.kind, quantity: r.quantity, reason: r.reason, orderId: r.order_id, actorUserId: r.actor_user_id, at: r.at.toISOString() }));
  }

  /** Inserts the order's lines as held; answers the line ids this call inserted (none when another call holds them). */
  async insertReservations(
    orderId: string,
    lines: { lineId: string; skuId: string; quantity: number; flashSaleId?: string | undefined }[],
    expiresAt: Date,
    buyerUserId: string | null,
    t: Transaction,
  ): Promise<string[]> {
    const inserted: string[] = [];
    for (const l of lines) {
      const rows = await this.q<{ line_id: string }>(
        `INSERT INTO reservations (order_id, line_id, sku_id, quantity, status, expires_at, flash_sale_id, buyer_user_id)
         VALUES (:orderId, :lineId, :skuId, :quantity, 'held', :expiresAt, :flashSaleId, :buyerUserId) ON CONFLICT (order_id, line_id) DO NOTHING RETURNING line_id`,
        { orderId, lineId: l.lineId, skuId: l.skuId, quantity: l.quantity, flashSaleId: l.flashSaleId ?? null, buyerUserId, expiresAt },
        t,
      );
      if (rows[0]) inserted.push(rows[0].line_id);
    }
    return inserted;
  }

  async reservations(orderId: string, t?: Transaction, lock = false): Promise<Reservation[]> {
    return (await this.reservationRows(orderId, t, lock)).map(({ buyerUserId: _buyer, ...r }) => r);
  }

  /** With the buyer, for flash-sale lines. */
  async reservationRows(orderId: string, t?: Transaction, lock = false): Promise<(Reservation & { buyerUserId: string | null })[]> {
    const rows = await this.q<ReservationRow>(`SELECT * FROM reservations WHERE order_id = :orderId ORDER BY line_id${lock ? ' FOR UPDATE' : ''}`, { orderId }, t);
    return rows.map((r) => ({ ...toReservation(r), buyerUserId: r.buyer_user_id }));
  }

  async setReservationStatus(orderId: string, lineIds: string[], status: Reservation['status'], t: Transaction): Promise<void> {
    await this.db.query('UPDATE reservations SET status = :status, updated_at = now() WHERE order_id = :orderId AND line_id IN (:lineIds)', { orderId, lineIds, status }, t);
  }

  /** Orders with held lines past their time, locked so that parallel sweepers take different ones. */
  async expiredOrders(limit: number, t: Transaction): Promise<string[]> {
    const rows = await this.q<{ order_id: string }>(
      `SELECT DISTINCT order_id FROM (
         SELECT order_id FROM reservations WHERE status = 'held' AND expires_at < now() ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED
       ) due`,
      { limit },
      t,
    );
    return rows.map((r) => r.order_id);
  }

  /** A new allocation; undefined when the campaign already has one. */
  async insertAllocation(a: { campaignId: string; skuId: string; quantity: number; perUserLimit: number; startsAt: string; endsAt: string }, t: Transaction): Promise<boolean> {
    const rows = await this.q<{ campaign_id: string }>(
      `INSERT INTO flash_allocations (campaign_id, sku_id, quantity, per_user_limit, starts_at, ends_at)
       VALUES (:campaignId, :skuId, :quantity, :perUserLimit, :startsAt, :endsAt) ON CONFLICT (campaign_id) DO NOTHING RETURNING campaign_id`,
      a,
      t,
    );
    return rows.length === 1;
  }

  async allocation(campaignId: string, t?: Transaction, lock = false): Promise<Allocation | undefined> {
    const [row] = await this.q<AllocationRow>(`SELECT * FROM flash_allocations WHERE campaign_id = :campaignId${lock ? ' FOR UPDATE' : ''}`, { campaignId }, t);
    return row && toAllocation(row);
  }

  async addAllocationSold(campaignId: string, quantity: number, t: Transaction): Promise<void> {
    await this.db.query('UPDATE flash_allocations SET sold = sold + :quantity WHERE campaign_id = :campaignId', { campaignId, quantity }, t);
  }

  async closeAllocation(campaignId: string, returned: number, t: Transaction): Promise<void> {
    await this.db.query(`UPDATE flash_allocations SET status = 'closed', returned = :returned, closed_at = now() WHERE campaign_id = :campaignId`, { campaignId, returned }, t);
  }
}
