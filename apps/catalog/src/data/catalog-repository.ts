import type { Transaction } from '@emporium/kit';
import type { BilingualText, Category, SpecDefinition, SpecValues } from '@emporium/contracts';
import { type CamelRow, type Database } from '@emporium/kit';

interface ProductColumns {
  id: string;
  shop_id: string;
  category_id: string;
  category_path: string[];
  name: BilingualText;
  description: BilingualText;
  brand: string;
  attributes: { name: BilingualText; value: BilingualText }[];
  specs: SpecDefinition[];
  images: string[];
  status: 'draft' | 'published' | 'unpublished';
  currency: string;
  min_price: string | null;
  updated_at: Date;
  published_at: Date | null;
}

interface SkuColumns {
  id: string;
  product_id: string;
  combo: string;
  spec_values: SpecValues;
  price: string;
  original_price: string | null;
  barcode: string;
  weight_grams: number;
  active: boolean;
}

export type ProductRecord = CamelRow<ProductColumns>;
export type SkuRecord = CamelRow<SkuColumns>;

/** catalog's tables; the repository answers camelCase records (money still as stored), the domain shapes them. */
export class CatalogRepository {
  constructor(private readonly db: Database) {}


  // ---- categories and spec templates
  async insertCategory(c: { id: string; parentId: string | null; slug: string; name: BilingualText; position: number; path: string[] }): Promise<boolean> {
    const rows = await this.db.select(
      `INSERT INTO categories (id, parent_id, slug, name, position, path) VALUES (:id, :parentId, :slug, :name, :position, ARRAY[:path]::uuid[])
       ON CONFLICT DO NOTHING RETURNING id`,
      { ...c, name: JSON.stringify(c.name) },
    );
    return rows.length === 1;
  }

  async category(id: string): Promise<Category | undefined> {
    const [row] = await this.db.select<{ id: string; parent_id: string | null; slug: string; name: BilingualText; position: number; path: string[] }>('SELECT * FROM categories WHERE id = :id', { id });
    return row && { id: row.id, parentId: row.parentId, slug: row.slug, name: row.name, position: row.position, path: row.path };
  }

  async categories(): Promise<Category[]> {
    const rows = await this.db.select<{ id: string; parent_id: string | null; slug: string; name: BilingualText; position: number; path: string[] }>(
      'SELECT * FROM categories ORDER BY array_length(path, 1), position, slug',
    );
    return rows.map((r) => ({ id: r.id, parentId: r.parentId, slug: r.slug, name: r.name, position: r.position, path: r.path }));
  }

  async putTemplate(categoryId: string, specs: SpecDefinition[]): Promise<void> {
    await this.db.query('INSERT INTO spec_templates (category_id, specs) VALUES (:categoryId, :specs) ON CONFLICT (category_id) DO UPDATE SET specs = EXCLUDED.specs', { categoryId, specs: JSON.stringify(specs) });
  }

  async template(categoryId: string): Promise<SpecDefinition[] | undefined> {
    const [row] = await this.db.select<{ specs: SpecDefinition[] }>('SELECT specs FROM spec_templates WHERE category_id = :categoryId', { categoryId });
    return row?.specs;
  }

  // ---- products and SKUs
  async insertProduct(p: Omit<ProductRecord, 'updatedAt' | 'publishedAt' | 'status' | 'images' | 'minPrice'> & { categoryPath: string[] }, t: Transaction): Promise<void> {
    await this.db.query(`INSERT INTO products (id, shop_id, category_id, category_path, name, description, brand, attributes, specs, status, currency)
       VALUES (:id, :shopId, :categoryId, ARRAY[:categoryPath]::uuid[], :name, :description, :brand, :attributes, :specs, 'draft', :currency)`, { ...p, name: JSON.stringify(p.name), description: JSON.stringify(p.description), attributes: JSON.stringify(p.attributes), specs: JSON.stringify(p.specs) }, t);
  }

  async updateProduct(p: Omit<ProductRecord, 'updatedAt' | 'publishedAt' | 'status' | 'images' | 'minPrice' | 'shopId'> & { categoryPath: string[] }, t: Transaction): Promise<void> {
    await this.db.query(`UPDATE products SET category_id = :categoryId, category_path = ARRAY[:categoryPath]::uuid[], name = :name, description = :description,
         brand = :brand, attributes = :attributes, specs = :specs, currency = :currency, updated_at = now() WHERE id = :id`, { ...p, name: JSON.stringify(p.name), description: JSON.stringify(p.description), attributes: JSON.stringify(p.attributes), specs: JSON.stringify(p.specs) }, t);
  }

  async product(id: string, t?: Transaction, lock = false): Promise<ProductRecord | undefined> {
    const [row] = await this.db.select<ProductColumns>(`SELECT * FROM products WHERE id = :id${lock ? ' FOR UPDATE' : ''}`, { id }, t);
    return row;
  }

  async skus(productId: string, t?: Transaction): Promise<SkuRecord[]> {
    return this.db.select<SkuColumns>('SELECT * FROM skus WHERE product_id = :productId AND NOT archived ORDER BY combo', { productId }, t);
  }

  /**
   * Writes the SKU matrix: combinations that exist keep their id, new ones are
   * added, and those no longer in the matrix are archived (never deleted: orders
   * may name them). Answers false when a barcode belongs to another SKU.
   */
  async writeSkus(productId: string, skus: { id: string; combo: string; specValues: SpecValues; price: number; originalPrice: number | null; barcode: string; weightGrams: number; active: boolean }[], t: Transaction): Promise<boolean> {
    const combos = skus.map((s) => s.combo);
    await this.db.query(`UPDATE skus SET archived = true, active = false WHERE product_id = :productId AND NOT (combo IN (:combos))`, { productId, combos }, t);
    for (const s of skus) {
      try {
        await this.db.query(`INSERT INTO skus (id, product_id, combo, spec_values, price, original_price, barcode, weight_grams, active, archived)
           VALUES (:id, :productId, :combo, :specValues, :price, :originalPrice, :barcode, :weightGrams, :active, false)
           ON CONFLICT (product_id, combo) DO UPDATE SET price = EXCLUDED.price, original_price = EXCLUDED.original_price,
             barcode = EXCLUDED.barcode, weight_grams = EXCLUDED.weight_grams, active = EXCLUDED.active, archived = false`, { ...s, productId, specValues: JSON.stringify(s.specValues) }, t);
      } catch (err) {
        if ((err as { constraint?: string }).constraint === 'skus_barcode') return false;
        throw err;
      }
    }
    await this.db.query(`UPDATE products SET min_price = (SELECT min(price) FROM skus WHERE product_id = :productId AND active AND NOT archived), updated_at = now() WHERE id = :productId`, { productId }, t);
    return true;
  }

  async setStatus(id: string, status: ProductRecord['status'], t: Transaction): Promise<void> {
    await this.db.query(`UPDATE products SET status = :status, updated_at = now(), published_at = CASE WHEN :status = 'published' THEN now() ELSE published_at END WHERE id = :id`, { id, status }, t);
  }

  async addImage(id: string, path: string): Promise<void> {
    await this.db.query('UPDATE products SET images = array_append(images, :path), updated_at = now() WHERE id = :id', { id, path });
  }

  async tiers(skuIds: string[], t?: Transaction): Promise<{ skuId: string; minQuantity: number; price: string }[]> {
    if (!skuIds.length) return [];
    return this.db.select<{ sku_id: string; min_quantity: number; price: string }>('SELECT * FROM sku_tiers WHERE sku_id IN (:skuIds) ORDER BY min_quantity', { skuIds }, t);
  }

  async putTiers(skuId: string, tiers: { minQuantity: number; price: number }[], t: Transaction): Promise<void> {
    await this.db.query('DELETE FROM sku_tiers WHERE sku_id = :skuId', { skuId }, t);
    for (const tier of tiers) {
      await this.db.query('INSERT INTO sku_tiers (sku_id, min_quantity, price) VALUES (:skuId, :minQuantity, :price)', { skuId, ...tier }, t);
    }
  }

  async companyPrices(companyId: string, skuIds: string[]): Promise<Map<string, number>> {
    if (!skuIds.length) return new Map();
    const rows = await this.db.select<{ sku_id: string; price: string }>('SELECT sku_id, price FROM company_prices WHERE company_id = :companyId AND sku_id IN (:skuIds)', { companyId, skuIds });
    return new Map(rows.map((r) => [r.skuId, Number(r.price)]));
  }

  async putCompanyPrices(companyId: string, productId: string, prices: { skuId: string; price: number }[], t: Transaction): Promise<void> {
    await this.db.query('DELETE FROM company_prices WHERE company_id = :companyId AND sku_id IN (SELECT id FROM skus WHERE product_id = :productId)', { companyId, productId }, t);
    for (const p of prices) {
      await this.db.query('INSERT INTO company_prices (company_id, sku_id, price) VALUES (:companyId, :skuId, :price)', { companyId, ...p }, t);
    }
  }

  // ---- shop status projection
  async setShopStatus(shopId: string, status: string, t?: Transaction): Promise<void> {
    await this.db.query(`INSERT INTO shop_status (shop_id, status) VALUES (:shopId, :status) ON CONFLICT (shop_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`, { shopId, status }, t);
  }

  /** Which product and shop a SKU belongs to, in any status (other services ask once and keep it). */
  async skuOwner(skuId: string): Promise<{ skuId: string; productId: string; shopId: string } | undefined> {
    const [row] = await this.db.select<{ sku_id: string; product_id: string; shop_id: string }>(
      'SELECT s.id AS sku_id, s.product_id, p.shop_id FROM skus s JOIN products p ON p.id = s.product_id WHERE s.id = :skuId',
      { skuId },
    );
    return row && { skuId: row.skuId, productId: row.productId, shopId: row.shopId };
  }

  /** SKUs with their product and shop status, for offers; archived SKUs included (orders may name them). */
  async offerRows(skuIds: string[]) {
    return this.db.select<{
      sku_id: string; product_id: string; shop_id: string; category_path: string[]; name: BilingualText; spec_values: SpecValues; images: string[]; weight_grams: number;
      price: string; original_price: string | null; currency: string; active: boolean; archived: boolean; status: ProductRecord['status']; shop_status: string | null;
    }>(
      `SELECT s.id AS sku_id, s.product_id, p.shop_id, p.category_path, p.name, s.spec_values, p.images, s.weight_grams, s.price, s.original_price, p.currency,
              s.active, s.archived, p.status, ss.status AS shop_status
       FROM skus s JOIN products p ON p.id = s.product_id LEFT JOIN shop_status ss ON ss.shop_id = p.shop_id
       WHERE s.id IN (:skuIds)`,
      { skuIds },
    );
  }

  async shopStatus(shopId: string, t?: Transaction): Promise<string | undefined> {
    const [row] = await this.db.select<{ status: string }>('SELECT status FROM shop_status WHERE shop_id = :shopId', { shopId }, t);
    return row?.status;
  }

  async productIdsOfShop(shopId: string): Promise<string[]> {
    return (await this.db.select<{ id: string }>('SELECT id FROM products WHERE shop_id = :shopId', { shopId })).map((r) => r.id);
  }

  /** A shop's own products in any status (or one), last changed first, with how many SKUs each has. */
  async productsOfShop(f: { shopId: string; status?: string; limit: number; after?: { key: string; id: string } }): Promise<CamelRow<ProductColumns & { sku_count: string }>[]> {
    const where = ['p.shop_id = :shopId'];
    if (f.status) where.push('p.status = :status');
    if (f.after) where.push('(p.updated_at, p.id) < (:afterKey::timestamptz, :afterId::uuid)');
    return this.db.select<ProductColumns & { sku_count: string }>(
      `SELECT p.*, (SELECT count(*) FROM skus k WHERE k.product_id = p.id) AS sku_count
         FROM products p WHERE ${where.join(' AND ')} ORDER BY p.updated_at DESC, p.id DESC LIMIT :limit`,
      { ...f, afterKey: f.after?.key, afterId: f.after?.id },
    );
  }

  /** Published products (whatever their shop's status) in id order after `after`. */
  async publishedAfter(after: string | null, limit: number): Promise<ProductRecord[]> {
    return this.db.select<ProductColumns>(
      `SELECT * FROM products WHERE status = 'published' ${after ? 'AND id > :after' : ''} ORDER BY id LIMIT :limit`,
      { after, limit },
    );
  }

  async publishedCount(): Promise<number> {
    const [row] = await this.db.select<{ n: string }>("SELECT count(*) AS n FROM products WHERE status = 'published'", {});
    return Number(row?.n ?? 0);
  }

  async suspendedAmong(shopIds: string[]): Promise<string[]> {
    if (shopIds.length === 0) return [];
    return (await this.db.select<{ shopId: string }>("SELECT shop_id FROM shop_status WHERE shop_id IN (:shopIds) AND status = 'suspended'", { shopIds })).map((r) => r.shopId);
  }

  /** Published products of approved shops, filtered, sorted, after the cursor. */
  async browse(f: { categoryId?: string; shopId?: string; minPrice?: number; maxPrice?: number; sort: 'newest' | 'price_asc' | 'price_desc'; limit: number; after?: { key: string; id: string } }): Promise<ProductRecord[]> {
    const where = ["p.status = 'published'", "s.status = 'approved'", 'p.min_price IS NOT NULL'];
    if (f.categoryId) where.push('p.category_path @> ARRAY[:categoryId]::uuid[]');
    if (f.shopId) where.push('p.shop_id = :shopId');
    if (f.minPrice !== undefined) where.push('p.min_price >= :minPrice');
    if (f.maxPrice !== undefined) where.push('p.min_price <= :maxPrice');
    const order = {
      newest: { sql: 'p.published_at DESC, p.id DESC', cmp: '(p.published_at, p.id) < (:afterKey::timestamptz, :afterId::uuid)' },
      price_asc: { sql: 'p.min_price ASC, p.id ASC', cmp: '(p.min_price, p.id) > (:afterKey::bigint, :afterId::uuid)' },
      price_desc: { sql: 'p.min_price DESC, p.id DESC', cmp: '(p.min_price, p.id) < (:afterKey::bigint, :afterId::uuid)' },
    }[f.sort];
    if (f.after) where.push(order.cmp);
    return this.db.select<ProductColumns>(
      `SELECT p.* FROM products p JOIN shop_status s ON s.shop_id = p.shop_id WHERE ${where.join(' AND ')} ORDER BY ${order.sql} LIMIT :limit`,
      { ...f, afterKey: f.after?.key, afterId: f.after?.id },
    );
  }
}
