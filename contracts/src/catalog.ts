import { z } from 'zod';
import { defineEvent } from './events';
import { bilingual } from './i18n';
import { CurrencyCode, NonNegativeMoney } from './money';

/** Catalog: categories, spec templates, SPU and SKU, B2B tier and company prices, media. */

const Key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes');

export const CreateCategoryRequest = z
  .object({
    parentId: z.uuid().nullable().default(null),
    slug: Key,
    name: bilingual(40),
    position: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();
export type CreateCategoryRequest = z.infer<typeof CreateCategoryRequest>;

export const Category = z
  .object({ id: z.uuid(), parentId: z.uuid().nullable(), slug: z.string(), name: bilingual(40), position: z.number().int(), path: z.array(z.uuid()) })
  .strict();
export type Category = z.infer<typeof Category>;

export const SpecDefinition = z
  .object({
    key: Key.describe('e.g. colour, size, capacity'),
    name: bilingual(30),
    values: z.array(z.object({ key: Key, name: bilingual(30) }).strict()).min(1).max(50),
  })
  .strict();
export type SpecDefinition = z.infer<typeof SpecDefinition>;

/** The specs products of a category choose their values from. */
export const SpecTemplate = z.object({ categoryId: z.uuid(), specs: z.array(SpecDefinition).max(5) }).strict();
export type SpecTemplate = z.infer<typeof SpecTemplate>;
export const PutSpecTemplateRequest = z.object({ specs: z.array(SpecDefinition).max(5) }).strict();
export type PutSpecTemplateRequest = z.infer<typeof PutSpecTemplateRequest>;

/** Chosen values of one SKU: spec key → value key, e.g. { colour: "red", size: "m" }. */
export const SpecValues = z.record(Key, Key);
export type SpecValues = z.infer<typeof SpecValues>;

export const Price = NonNegativeMoney;

export const SkuInput = z
  .object({
    specValues: SpecValues,
    price: Price,
    originalPrice: Price.nullable().default(null).describe('Crossed-out price; not below price'),
    barcode: z.string().regex(/^[0-9A-Za-z-]{6,32}$/, '6-32 letters, digits or dashes'),
    weightGrams: z.number().int().min(0).max(1_000_000),
    active: z.boolean().default(true),
  })
  .strict();
export type SkuInput = z.infer<typeof SkuInput>;

const ProductFields = {
  categoryId: z.uuid(),
  name: bilingual(120),
  description: bilingual(5000),
  brand: z.string().trim().min(1).max(60),
  attributes: z.array(z.object({ name: bilingual(40), value: bilingual(200) }).strict()).max(40).default([]),
  /** Chosen values per spec of the category's template; the SKU matrix is their cartesian product. */
  specs: z.array(z.object({ key: Key, values: z.array(Key).min(1).max(50) }).strict()).max(5),
  skus: z.array(SkuInput).min(1).max(500),
};

export const CreateProductRequest = z.object(ProductFields).strict();
export type CreateProductRequest = z.infer<typeof CreateProductRequest>;
/** Replaces the product's fields and SKU matrix; SKUs whose spec values still exist keep their ids. */
export const UpdateProductRequest = CreateProductRequest;
export type UpdateProductRequest = CreateProductRequest;

export const TierPrice = z.object({ minQuantity: z.number().int().min(2).max(1_000_000), price: Price }).strict();
export const PutTiersRequest = z.object({ tiers: z.array(TierPrice).max(10) }).strict();
export type PutTiersRequest = z.infer<typeof PutTiersRequest>;

export const PutCompanyPricesRequest = z
  .object({ prices: z.array(z.object({ skuId: z.uuid(), price: Price }).strict()).max(500) })
  .strict();
export type PutCompanyPricesRequest = z.infer<typeof PutCompanyPricesRequest>;

export const Sku = z
  .object({
    id: z.uuid(),
    specValues: SpecValues,
    price: Price,
    originalPrice: Price.nullable(),
    barcode: z.string(),
    weightGrams: z.number().int(),
    active: z.boolean(),
    tiers: z.array(TierPrice),
    /** Only for a buyer of a company with a price list for this SKU. */
    companyPrice: Price.nullable(),
  })
  .strict();
export type Sku = z.infer<typeof Sku>;

export const ProductStatus = z.enum(['draft', 'published', 'unpublished']);

export const Product = z
  .object({
    id: z.uuid(),
    shopId: z.uuid(),
    categoryId: z.uuid(),
    /** the category and its ancestors, root first (what coupon and activity scopes match) */
    categoryPath: z.array(z.uuid()),
    name: bilingual(120),
    description: bilingual(5000),
    brand: z.string(),
    attributes: z.array(z.object({ name: bilingual(40), value: bilingual(200) }).strict()),
    specs: z.array(SpecDefinition).describe('Only the chosen values, with their names'),
    skus: z.array(Sku),
    images: z.array(z.string()).describe('Paths under /media'),
    status: ProductStatus,
    currency: CurrencyCode,
    minPrice: Price.nullable(),
    updatedAt: z.iso.datetime(),
    /** when it went on sale first (null: never published) */
    publishedAt: z.iso.datetime().nullable(),
  })
  .strict();
export type Product = z.infer<typeof Product>;

/** catalog → other services: which product and shop a SKU belongs to (GET /internal/skus/:skuId). */
export const SkuOwner = z.object({ skuId: z.uuid(), productId: z.uuid(), shopId: z.uuid() }).strict();
export type SkuOwner = z.infer<typeof SkuOwner>;

/** Why a SKU cannot be bought now. */
export const UnavailableReason = z.enum(['unpublished', 'inactive', 'shop_suspended']);

/**
 * catalog → cart and marketing (POST /internal/skus/offers): what a SKU is and
 * costs now, with the company price when a company is named.
 */
export const SkuOffer = z
  .object({
    skuId: z.uuid(),
    productId: z.uuid(),
    shopId: z.uuid(),
    /** the product's category and each of its ancestors: a promotion scoped to a category reaches its sub-categories */
    categoryPath: z.array(z.uuid()),
    name: bilingual(120),
    specValues: SpecValues,
    image: z.string().nullable(),
    weightGrams: z.number().int(),
    price: Price,
    originalPrice: Price.nullable(),
    tiers: z.array(TierPrice),
    companyPrice: Price.nullable(),
    purchasable: z.boolean(),
    unavailableReason: UnavailableReason.nullable(),
  })
  .strict();
export type SkuOffer = z.infer<typeof SkuOffer>;
export const SkuOffersRequest = z.object({ skuIds: z.array(z.uuid()).min(1).max(200), companyId: z.uuid().optional() }).strict();
export type SkuOffersRequest = z.infer<typeof SkuOffersRequest>;

export const ProductSummary = Product.pick({ id: true, shopId: true, categoryId: true, name: true, brand: true, images: true, minPrice: true, updatedAt: true });
export type ProductSummary = z.infer<typeof ProductSummary>;

export const BrowseQuery = z
  .object({
    category: z.uuid().optional().describe('Includes its sub-categories'),
    shop: z.uuid().optional(),
    minPrice: z.coerce.number().int().min(0).optional(),
    maxPrice: z.coerce.number().int().min(0).optional(),
    sort: z.enum(['newest', 'price_asc', 'price_desc']).default('newest'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type BrowseQuery = z.infer<typeof BrowseQuery>;

export const ProductPage = z.object({ items: z.array(ProductSummary), nextCursor: z.string().nullable() }).strict();
export type ProductPage = z.infer<typeof ProductPage>;

/** A product as its shop's list shows it: every status, drafts included. */
export const ShopProductSummary = ProductSummary.extend({ status: ProductStatus, skuCount: z.number().int().min(0) }).strict();
export type ShopProductSummary = z.infer<typeof ShopProductSummary>;
export const ShopProductsQuery = z
  .object({
    status: ProductStatus.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type ShopProductsQuery = z.infer<typeof ShopProductsQuery>;
export const ShopProductPage = z.object({ items: z.array(ShopProductSummary), nextCursor: z.string().nullable() }).strict();
export type ShopProductPage = z.infer<typeof ShopProductPage>;

export const UploadImageRequest = z
  .object({
    contentType: z.enum(['image/png', 'image/jpeg', 'image/webp']),
    dataBase64: z.string().min(8).max(2_800_000).describe('At most ~2 MiB once decoded'),
  })
  .strict();
export type UploadImageRequest = z.infer<typeof UploadImageRequest>;

/** The full product, without buyer-specific prices, as search and analytics index it. */
export const ProductSnapshot = Product.extend({ skus: z.array(Sku.omit({ companyPrice: true })) });
export type ProductSnapshot = z.infer<typeof ProductSnapshot>;

/** catalog → search (GET /internal/product-snapshots): published products in id order, for rebuilding an index. */
export const ProductSnapshotsQuery = z
  .object({ after: z.uuid().optional().describe('The last product id of the page before'), limit: z.coerce.number().int().min(1).max(200).default(100) })
  .strict();
export type ProductSnapshotsQuery = z.infer<typeof ProductSnapshotsQuery>;
export const ProductSnapshotPage = z
  .object({
    items: z.array(ProductSnapshot),
    nextCursor: z.uuid().nullable(),
    total: z.number().int().min(0).describe('Published products now'),
    suspendedShopIds: z.array(z.uuid()).describe("The shops of this page's products that are suspended now"),
  })
  .strict();
export type ProductSnapshotPage = z.infer<typeof ProductSnapshotPage>;

export const CatalogEvents = [
  defineEvent('product.published', 1, 'A product is on sale; carries the full snapshot', { product: ProductSnapshot }),
  defineEvent('product.updated', 1, 'A published product changed; carries the full snapshot', { product: ProductSnapshot }),
  defineEvent('product.unpublished', 1, 'A product left the storefront; carries the full snapshot', { product: ProductSnapshot }),
] as const;
