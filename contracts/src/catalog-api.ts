import { z } from 'zod';
import { defineOperations, type ApiOperation } from './operation';
import { CatalogStats } from './dashboard';
import { listOf } from './list';
import {
  Category,
  CreateCategoryRequest,
  CreateProductRequest,
  Product,
  ProductPage,
  ProductSnapshotPage,
  PutCompanyPricesRequest,
  PutSpecTemplateRequest,
  PutTiersRequest,
  ShopProductPage,
  SkuOffer,
  SkuOffersRequest,
  SkuOwner,
  SpecTemplate,
  UpdateProductRequest,
  UploadImageRequest,
} from './catalog';
import { NonNegativeMoney } from './money';

const app = 'catalog' as const;

/** catalog's HTTP operations. Browse takes the query of BrowseQuery. */
export const CatalogPublic = defineOperations({
  listCategories: { operationId: 'listCategories', method: 'get', path: '/categories', appId: app, access: 'anyone', summary: 'The category tree, parents first', responses: { 200: { description: 'Categories', schema: listOf(Category) } } },
  getSpecTemplate: { operationId: 'getSpecTemplate', method: 'get', path: '/categories/:categoryId/spec-template', appId: app, access: 'anyone', summary: "A category's specs (inherited from the nearest ancestor)", responses: { 200: { description: 'Template', schema: SpecTemplate } } },
  browseProducts: { operationId: 'browseProducts', method: 'get', path: '/products', appId: app, access: 'anyone', summary: 'Published products: category (with sub-categories), shop, price range, sort, cursor', responses: { 200: { description: 'A page', schema: ProductPage } } },
  getProduct: { operationId: 'getProduct', method: 'get', path: '/products/:productId', appId: app, access: 'anyone', summary: 'Everything a SKU selector needs; company prices for company buyers', responses: { 200: { description: 'Product', schema: Product } } },
  getMedia: { operationId: 'getMedia', method: 'get', path: '/media/:file', appId: app, access: 'anyone', summary: 'A product image', responses: { 200: { description: 'The image bytes' } } },
  createCategory: { operationId: 'createCategory', method: 'post', path: '/admin/categories', appId: app, summary: 'Add a category (platform admin)', request: CreateCategoryRequest, idempotent: true, responses: { 201: { description: 'Created', schema: Category } } },
  putSpecTemplate: { operationId: 'putSpecTemplate', method: 'put', path: '/admin/categories/:categoryId/spec-template', appId: app, summary: "Set a category's specs (platform admin)", request: PutSpecTemplateRequest, responses: { 200: { description: 'Template', schema: SpecTemplate } } },
  createProduct: { operationId: 'createProduct', method: 'post', path: '/shops/:shopId/products', appId: app, summary: 'Create a draft product with its SKU matrix', request: CreateProductRequest, idempotent: true, responses: { 201: { description: 'Draft', schema: Product } } },
  listOwnProducts: { operationId: 'listOwnProducts', method: 'get', path: '/shops/:shopId/products', appId: app, summary: "The caller's shop's products in every status, last changed first (`?status=`, `?limit=`, `?cursor=`)", responses: { 200: { description: 'A page', schema: ShopProductPage } } },
  getOwnProduct: { operationId: 'getOwnProduct', method: 'get', path: '/shops/:shopId/products/:productId', appId: app, summary: "A product of the caller's shop, in any status", responses: { 200: { description: 'Product', schema: Product } } },
  updateProduct: { operationId: 'updateProduct', method: 'put', path: '/shops/:shopId/products/:productId', appId: app, summary: 'Replace fields and matrix; existing combinations keep their SKU ids', request: UpdateProductRequest, responses: { 200: { description: 'Product', schema: Product } } },
  putTiers: { operationId: 'putTiers', method: 'put', path: '/shops/:shopId/products/:productId/skus/:skuId/tiers', appId: app, summary: 'Quantity price tiers of a SKU', request: PutTiersRequest, responses: { 200: { description: 'Product', schema: Product } } },
  putCompanyPrices: { operationId: 'putCompanyPrices', method: 'put', path: '/shops/:shopId/products/:productId/company-prices/:companyId', appId: app, summary: "A company's price list for this product", request: PutCompanyPricesRequest,
    responses: { 200: { description: 'Prices', schema: z.object({ companyId: z.uuid(), prices: z.array(z.object({ skuId: z.uuid(), price: NonNegativeMoney })) }) } } },
  publishProduct: { operationId: 'publishProduct', method: 'post', path: '/shops/:shopId/products/:productId/publish', appId: app, summary: 'Put on sale (needs an approved shop and an active SKU)', responses: { 200: { description: 'Product', schema: Product }, 422: { description: 'Not publishable' } } },
  unpublishProduct: { operationId: 'unpublishProduct', method: 'post', path: '/shops/:shopId/products/:productId/unpublish', appId: app, summary: 'Take off sale', responses: { 200: { description: 'Product', schema: Product } } },
  uploadImage: { operationId: 'uploadImage', method: 'post', path: '/shops/:shopId/products/:productId/images', appId: app, summary: 'Add an image (PNG, JPEG or WebP, at most 2 MiB)', request: UploadImageRequest, idempotent: true, responses: { 201: { description: 'Product', schema: Product } } },
  catalogStats: { operationId: 'catalogStats', method: 'get', path: '/admin/stats/products', appId: app, summary: 'Products per status (platform admin)', responses: { 200: { description: 'Counts', schema: CatalogStats } } },
});
export const CatalogOperations: readonly ApiOperation[] = Object.values(CatalogPublic);

/** Called by other services through their sidecars (never routed by the gateway). */
export const CatalogInternal = defineOperations({
  getSkuOwner: { operationId: 'getSkuOwner', method: 'get', path: '/internal/skus/:skuId', appId: app, internal: true, callers: ['inventory', 'cart', 'order', 'marketing'], summary: 'The product and shop a SKU belongs to',
    responses: { 200: { description: 'Owner', schema: SkuOwner }, 404: { description: 'No such SKU' } } },
  getCategoryTree: { operationId: 'getCategoryTree', method: 'get', path: '/internal/categories', appId: app, internal: true, callers: ['search'],
    summary: 'The category tree, parents first (what search names and indexes categories by)', responses: { 200: { description: 'Categories', schema: listOf(Category) } } },
  listProductSnapshots: { operationId: 'listProductSnapshots', method: 'get', path: '/internal/product-snapshots', appId: app, internal: true, callers: ['search'],
    summary: 'Published products as their events carry them, in id order (after, limit): what an index is rebuilt from', responses: { 200: { description: 'A page', schema: ProductSnapshotPage } } },
  getSkuOffers: { operationId: 'getSkuOffers', method: 'post', path: '/internal/skus/offers', appId: app, internal: true, callers: ['cart', 'marketing', 'order'], summary: "SKUs as they are sold now (price, tiers, the company's price, whether on sale)",
    request: SkuOffersRequest, responses: { 200: { description: 'Offers', schema: listOf(SkuOffer) } } },
});
