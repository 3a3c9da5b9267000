import { randomUUID } from 'node:crypto';
import type {
  Category,
  SpecTemplate,
  SkuOffer,
  BrowseQuery,
  CreateProductRequest,
  Money,
  Product,
  ProductPage,
  ProductSnapshotPage,
  ProductSnapshotsQuery,
  PutCompanyPricesRequest,
  PutTiersRequest,
  ShopProductPage,
  ShopProductsQuery,
  UpdateProductRequest,
  UploadImageRequest,
} from '@emporium/contracts';
import { ComponentNames } from '@emporium/contracts';
import { companyOf, ConflictError, NotFoundError, requireShopStaff, UnprocessableError, ValidationError, type Principal, moneyOf } from '@emporium/kit';
import type { Transaction } from '@emporium/kit';
import type { ProductRecord, SkuRecord } from '../data/catalog-repository';
import type { CatalogContext } from './catalog-context';
import { specTemplateFor } from './categories';
import { buildMatrix } from './sku-matrix';

export class BarcodeTakenError extends ConflictError {
  override readonly code = 'barcode_taken';
}
export class NotPublishableError extends UnprocessableError {
  override readonly code = 'not_publishable';
}

const money = moneyOf;

/** Merchants act only on their own shop's products; others get 404 as if nothing were there. */
function assertManages(caller: Principal, shopId: string): void {
  requireShopStaff(caller, shopId);
}

async function ownProduct(ctx: CatalogContext, caller: Principal, shopId: string, productId: string, t?: Transaction): Promise<ProductRecord> {
  assertManages(caller, shopId);
  const row = await ctx.repo.product(productId, t, Boolean(t));
  if (row?.shopId !== shopId) throw new NotFoundError('no such product');
  return row;
}

/** The company whose prices a caller sees: the one it buys for. */
async function assemble(ctx: CatalogContext, row: ProductRecord, skus?: SkuRecord[], t?: Transaction): Promise<Product> {
  const skuRows = skus ?? (await ctx.repo.skus(row.id, t));
  const tiers = await ctx.repo.tiers(skuRows.map((s) => s.id), t);
  const currency = row.currency.trim();
  return {
    id: row.id,
    shopId: row.shopId,
    categoryId: row.categoryId,
    categoryPath: row.categoryPath,
    name: row.name,
    description: row.description,
    brand: row.brand,
    attributes: row.attributes,
    specs: row.specs,
    skus: skuRows.map((s) => ({
      id: s.id,
      specValues: s.specValues,
      price: money(s.price, currency),
      originalPrice: s.originalPrice === null ? null : money(s.originalPrice, currency),
      barcode: s.barcode,
      weightGrams: s.weightGrams,
      active: s.active,
      tiers: tiers.filter((x) => x.skuId === s.id).map((x) => ({ minQuantity: x.minQuantity, price: money(x.price, currency) })),
      companyPrice: null,
    })),
    images: row.images,
    status: row.status,
    currency,
    minPrice: row.minPrice === null ? null : money(row.minPrice, currency),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
  };
}

function snapshot(p: Product) {
  return { ...p, skus: p.skus.map(({ companyPrice: _c, ...sku }) => sku) };
}

/**
 * The category a product names and the specs it chooses from, read before its
 * transaction opens: a transaction that waited for a second connection of the
 * pool could starve it when as many products are written at once as the pool
 * holds connections.
 */
async function categoryOf(ctx: CatalogContext, categoryId: string): Promise<{ category: Category; template: SpecTemplate }> {
  const category = await ctx.repo.category(categoryId);
  if (!category) throw new ValidationError([{ field: 'categoryId', code: 'not_found', message: 'no such category' }]);
  return { category, template: await specTemplateFor(ctx, categoryId) };
}

/** Validates the matrix against the category's template and writes fields and SKUs of an existing row. */
async function writeProduct(ctx: CatalogContext, input: CreateProductRequest, t: Transaction, existing: ProductRecord, { category, template }: { category: Category; template: SpecTemplate }): Promise<void> {
  const matrix = buildMatrix(template.specs, input.specs, input.skus);
  if ('errors' in matrix) throw new ValidationError(matrix.errors, 'the SKU matrix does not fit the chosen specs');
  const id = existing.id;
  const fields = { id, categoryId: input.categoryId, categoryPath: category.path, name: input.name, description: input.description, brand: input.brand, attributes: input.attributes, specs: matrix.specs, currency: matrix.currency };
  await ctx.repo.updateProduct(fields, t);
  const current = new Map((await ctx.repo.skus(id, t)).map((s) => [s.combo, s.id]));
  const ok = await ctx.repo.writeSkus(
    id,
    matrix.skus.map((s) => ({ id: current.get(s.combo) ?? randomUUID(), combo: s.combo, specValues: s.specValues, price: s.price.amount, originalPrice: s.originalPrice?.amount ?? null, barcode: s.barcode, weightGrams: s.weightGrams, active: s.active })),
    t,
  );
  if (!ok) throw new BarcodeTakenError('a barcode belongs to another SKU');
}

export async function createProduct(ctx: CatalogContext, caller: Principal, shopId: string, input: CreateProductRequest): Promise<Product> {
  assertManages(caller, shopId);
  const id = randomUUID();
  const chosen = await categoryOf(ctx, input.categoryId);
  const { category } = chosen;
  await ctx.db.transaction(async (t) => {
    await ctx.repo.insertProduct(
      { id, shopId, categoryId: input.categoryId, categoryPath: category.path, name: input.name, description: input.description, brand: input.brand, attributes: input.attributes, specs: [], currency: input.skus[0]!.price.currency },
      t,
    );
    const row = (await ctx.repo.product(id, t))!;
    await writeProduct(ctx, input, t, row, chosen);
  });
  return assemble(ctx, (await ctx.repo.product(id))!);
}

/** Replaces fields and matrix; a published product is re-announced and its cache entry dropped. */
export async function updateProduct(ctx: CatalogContext, caller: Principal, shopId: string, productId: string, input: UpdateProductRequest): Promise<Product> {
  const chosen = await categoryOf(ctx, input.categoryId);
  await ctx.db.transaction(async (t) => {
    const row = await ownProduct(ctx, caller, shopId, productId, t);
    await writeProduct(ctx, input, t, row, chosen);
    await announceIfPublished(ctx, productId, t);
  });
  await ctx.cache.invalidate(productId);
  return assemble(ctx, (await ctx.repo.product(productId))!);
}

async function announceIfPublished(ctx: CatalogContext, productId: string, t: Transaction): Promise<void> {
  const row = (await ctx.repo.product(productId, t))!;
  if (row.status === 'published') await ctx.events.stage(t, 'product.updated', { product: snapshot(await assemble(ctx, row, undefined, t)) });
}

export async function getOwnProduct(ctx: CatalogContext, caller: Principal, shopId: string, productId: string): Promise<Product> {
  return assemble(ctx, await ownProduct(ctx, caller, shopId, productId));
}

export async function putTiers(ctx: CatalogContext, caller: Principal, shopId: string, productId: string, skuId: string, input: PutTiersRequest): Promise<Product> {
  await ctx.db.transaction(async (t) => {
    const row = await ownProduct(ctx, caller, shopId, productId, t);
    const sku = (await ctx.repo.skus(productId, t)).find((s) => s.id === skuId);
    if (!sku) throw new NotFoundError('no such SKU');
    const errors = input.tiers.flatMap((tier, i) => {
      const prev = input.tiers[i - 1];
      const out = [];
      if (tier.price.currency !== row.currency.trim()) out.push({ field: `tiers.${i}.price.currency`, code: 'currency', message: `the product is priced in ${row.currency}` });
      if (tier.price.amount > Number(sku.price)) out.push({ field: `tiers.${i}.price.amount`, code: 'above_price', message: 'a tier price may not exceed the SKU price' });
      if (prev && (tier.minQuantity <= prev.minQuantity || tier.price.amount > prev.price.amount)) {
        out.push({ field: `tiers.${i}`, code: 'order', message: 'tiers go up in quantity and down (or level) in price' });
      }
      return out;
    });
    if (errors.length) throw new ValidationError(errors);
    await ctx.repo.putTiers(skuId, input.tiers.map((x) => ({ minQuantity: x.minQuantity, price: x.price.amount })), t);
    await announceIfPublished(ctx, productId, t);
  });
  await ctx.cache.invalidate(productId);
  return getOwnProduct(ctx, caller, shopId, productId);
}

/** The merchant's price list for one company; only that company's buyers see it. */
export async function putCompanyPrices(ctx: CatalogContext, caller: Principal, shopId: string, productId: string, companyId: string, input: PutCompanyPricesRequest): Promise<{ companyId: string; prices: { skuId: string; price: Money }[] }> {
  await ctx.db.transaction(async (t) => {
    const row = await ownProduct(ctx, caller, shopId, productId, t);
    const skuIds = new Set((await ctx.repo.skus(productId, t)).map((s) => s.id));
    const errors = input.prices.flatMap((p, i) => [
      ...(skuIds.has(p.skuId) ? [] : [{ field: `prices.${i}.skuId`, code: 'not_found', message: 'not a SKU of this product' }]),
      ...(p.price.currency === row.currency.trim() ? [] : [{ field: `prices.${i}.price.currency`, code: 'currency', message: `the product is priced in ${row.currency}` }]),
    ]);
    if (errors.length) throw new ValidationError(errors);
    await ctx.repo.putCompanyPrices(companyId, productId, input.prices.map((p) => ({ skuId: p.skuId, price: p.price.amount })), t);
  });
  const prices = await ctx.repo.companyPrices(companyId, [...input.prices.map((p) => p.skuId)]);
  const row = (await ctx.repo.product(productId))!;
  return { companyId, prices: [...prices].map(([skuId, amount]) => ({ skuId, price: money(amount, row.currency) })) };
}

export async function publish(ctx: CatalogContext, caller: Principal, shopId: string, productId: string): Promise<Product> {
  await ctx.db.transaction(async (t) => {
    const row = await ownProduct(ctx, caller, shopId, productId, t);
    if ((await ctx.repo.shopStatus(shopId, t)) !== 'approved') throw new NotPublishableError('the shop is not approved, or suspended');
    const skus = await ctx.repo.skus(productId, t);
    if (!skus.some((s) => s.active)) throw new NotPublishableError('publishing needs at least one active SKU with a price');
    if (row.status === 'published') return;
    await ctx.repo.setStatus(productId, 'published', t);
    await ctx.events.stage(t, 'product.published', { product: snapshot(await assemble(ctx, (await ctx.repo.product(productId, t))!, undefined, t)) });
  });
  await ctx.cache.invalidate(productId);
  return getOwnProduct(ctx, caller, shopId, productId);
}

export async function unpublish(ctx: CatalogContext, caller: Principal, shopId: string, productId: string): Promise<Product> {
  await ctx.db.transaction(async (t) => {
    const row = await ownProduct(ctx, caller, shopId, productId, t);
    if (row.status !== 'published') return;
    await ctx.repo.setStatus(productId, 'unpublished', t);
    await ctx.events.stage(t, 'product.unpublished', { product: snapshot(await assemble(ctx, (await ctx.repo.product(productId, t))!, undefined, t)) });
  });
  await ctx.cache.invalidate(productId);
  return getOwnProduct(ctx, caller, shopId, productId);
}

/** Product detail as the storefront shows it; a company buyer also sees its company prices. */
export async function productDetail(ctx: CatalogContext, productId: string, caller: Principal | null): Promise<Product> {
  let product = await ctx.cache.get(productId);
  if (!product) {
    const row = await ctx.repo.product(productId);
    if (row?.status !== 'published' || (await ctx.repo.shopStatus(row.shopId)) !== 'approved') throw new NotFoundError('no such product');
    const full = await assemble(ctx, row);
    product = { ...full, skus: full.skus.filter((s) => s.active) };
    await ctx.cache.set(productId, product);
  }
  const companyId = companyOf(caller);
  if (!companyId) return product;
  const prices = await ctx.repo.companyPrices(companyId, product.skus.map((s) => s.id));
  return { ...product, skus: product.skus.map((s) => (prices.has(s.id) ? { ...s, companyPrice: { amount: prices.get(s.id)!, currency: product.currency } } : s)) };
}

function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}
function decodeCursor(cursor: string): { key: string; id: string } {
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof key === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { key, id };
  } catch {
    // fall through
  }
  throw new ValidationError([{ field: 'cursor', code: 'invalid', message: 'not a cursor this API gave out' }], 'The query is not valid');
}

function summaryOf(r: ProductRecord) {
  return {
    id: r.id,
    shopId: r.shopId,
    categoryId: r.categoryId,
    name: r.name,
    brand: r.brand,
    images: r.images,
    minPrice: r.minPrice === null ? null : money(r.minPrice, r.currency),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The seller portal's list: every product of the caller's shop, drafts included. */
export async function ownProducts(ctx: CatalogContext, caller: Principal, shopId: string, query: ShopProductsQuery): Promise<ShopProductPage> {
  assertManages(caller, shopId);
  const rows = await ctx.repo.productsOfShop({ shopId, limit: query.limit + 1, ...(query.status ? { status: query.status } : {}), ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}) });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...summaryOf(r), status: r.status, skuCount: Number(r.skuCount) })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.updatedAt.toISOString(), last.id) : null,
  };
}

export async function browse(ctx: CatalogContext, query: BrowseQuery): Promise<ProductPage> {
  if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
    throw new ValidationError([{ field: 'minPrice', code: 'range', message: 'minPrice is above maxPrice' }], 'The query is not valid');
  }
  const rows = await ctx.repo.browse({
    ...(query.category ? { categoryId: query.category } : {}),
    ...(query.shop ? { shopId: query.shop } : {}),
    ...(query.minPrice !== undefined ? { minPrice: query.minPrice } : {}),
    ...(query.maxPrice !== undefined ? { maxPrice: query.maxPrice } : {}),
    sort: query.sort,
    limit: query.limit + 1,
    ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const keyOf = (r: ProductRecord) => (query.sort === 'newest' ? r.publishedAt!.toISOString() : String(r.minPrice));
  return {
    items: page.map(summaryOf),
    nextCursor: rows.length > query.limit && last ? encodeCursor(keyOf(last), last.id) : null,
  };
}

const extensions: Record<UploadImageRequest['contentType'], string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
const signatures: Record<UploadImageRequest['contentType'], (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8,
  'image/webp': (b) => b.subarray(0, 4).toString() === 'RIFF' && b.subarray(8, 12).toString() === 'WEBP',
};

/** Stores an image through the `media` output binding and adds it to the product. */
export async function uploadImage(ctx: CatalogContext, caller: Principal, shopId: string, productId: string, input: UploadImageRequest): Promise<Product> {
  await ownProduct(ctx, caller, shopId, productId);
  const bytes = Buffer.from(input.dataBase64, 'base64');
  if (bytes.length > 2 * 1024 * 1024) throw new ValidationError([{ field: 'dataBase64', code: 'too_big', message: 'at most 2 MiB' }]);
  if (!signatures[input.contentType](bytes)) throw new ValidationError([{ field: 'dataBase64', code: 'not_an_image', message: `the bytes are not ${input.contentType}` }]);
  const file = `${productId}-${randomUUID()}.${extensions[input.contentType]}`;
  await ctx.sidecar.invokeBinding(ComponentNames.media, 'create', input.dataBase64, { fileName: file });
  await ctx.repo.addImage(productId, `/media/${file}`);
  await ctx.db.transaction((t) => announceIfPublished(ctx, productId, t));
  await ctx.cache.invalidate(productId);
  return getOwnProduct(ctx, caller, shopId, productId);
}

export async function readImage(ctx: CatalogContext, file: string): Promise<{ bytes: Buffer; contentType: string }> {
  const match = /^[0-9a-f-]{36}-[0-9a-f-]{36}\.(png|jpg|webp)$/.exec(file);
  if (!match) throw new NotFoundError('no such image');
  const body = await ctx.sidecar.invokeBinding(ComponentNames.media, 'get', '', { fileName: file });
  const contentType = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' }[match[1] as 'png' | 'jpg' | 'webp'];
  return { bytes: body, contentType };
}

/**
 * What SKUs are and cost now, for cart and the pricing engine. Unknown SKUs
 * are left out; SKUs that cannot be bought say why.
 */
/** Published products in id order, as their events carry them: what search rebuilds its index from. */
export async function productSnapshots(ctx: CatalogContext, query: ProductSnapshotsQuery): Promise<ProductSnapshotPage> {
  const rows = await ctx.repo.publishedAfter(query.after ?? null, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items = [];
  for (const row of page) items.push(snapshot(await assemble(ctx, row)));
  const suspendedShopIds = await ctx.repo.suspendedAmong([...new Set(page.map((r) => r.shopId))]);
  return { items, nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null, total: await ctx.repo.publishedCount(), suspendedShopIds };
}

export async function skuOffers(ctx: CatalogContext, skuIds: string[], companyId?: string): Promise<SkuOffer[]> {
  const unique = [...new Set(skuIds)];
  const [rows, tiers, companyPrices] = await Promise.all([
    ctx.repo.offerRows(unique),
    ctx.repo.tiers(unique),
    companyId ? ctx.repo.companyPrices(companyId, unique) : Promise.resolve(new Map<string, number>()),
  ]);
  return rows.map((r) => {
    const currency = r.currency.trim();
    const reason: SkuOffer['unavailableReason'] =
      r.status !== 'published' ? 'unpublished' : r.shopStatus !== 'approved' ? 'shop_suspended' : !r.active || r.archived ? 'inactive' : null;
    const companyPrice = companyPrices.get(r.skuId);
    return {
      skuId: r.skuId,
      productId: r.productId,
      shopId: r.shopId,
      categoryPath: r.categoryPath,
      name: r.name,
      specValues: r.specValues,
      image: r.images[0] ?? null,
      weightGrams: r.weightGrams,
      price: money(r.price, currency),
      originalPrice: r.originalPrice === null ? null : money(r.originalPrice, currency),
      tiers: tiers.filter((x) => x.skuId === r.skuId).map((x) => ({ minQuantity: x.minQuantity, price: money(x.price, currency) })),
      companyPrice: companyPrice === undefined ? null : money(companyPrice, currency),
      purchasable: reason === null,
      unavailableReason: reason,
    };
  });
}
