import { camelRow, type CamelRow, type Database } from '@emporium/kit';

interface ShippingRuleColumns {
  shop_id: string;
  currency: string;
  flat_fee: string;
  free_above: string | null;
}

/** A shop's shipping rule as stored (money as stored; the domain makes it money). */
export type ShippingRuleRecord = CamelRow<ShippingRuleColumns>;

export class ShippingRepository {
  constructor(private readonly db: Database) {}

  async rules(shopIds: string[]): Promise<Map<string, ShippingRuleRecord>> {
    if (shopIds.length === 0) return new Map();
    const rows = await this.db.query<ShippingRuleColumns>('SELECT * FROM shipping_rules WHERE shop_id IN (:shopIds)', { shopIds });
    return new Map(rows.map((r) => [r.shop_id, camelRow(r)]));
  }

  async put(shopId: string, rule: { currency: string; flatFee: number; freeAbove: number | null }, userId: string): Promise<void> {
    await this.db.query(`INSERT INTO shipping_rules (shop_id, currency, flat_fee, free_above, updated_by) VALUES (:shopId, :currency, :flatFee, :freeAbove, :userId)
       ON CONFLICT (shop_id) DO UPDATE SET currency = EXCLUDED.currency, flat_fee = EXCLUDED.flat_fee, free_above = EXCLUDED.free_above,
         updated_by = EXCLUDED.updated_by, updated_at = now()`, { shopId, ...rule, userId });
  }
}
