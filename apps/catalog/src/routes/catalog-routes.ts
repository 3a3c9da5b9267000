import { Router, type Response } from 'express';
import { BrowseQuery, CatalogInternal, ProductSnapshotsQuery, CreateCategoryRequest, CreateProductRequest, PutCompanyPricesRequest, PutSpecTemplateRequest, PutTiersRequest, ShopProductsQuery, type SkuOwner, SkuOffersRequest, UpdateProductRequest, UploadImageRequest, CatalogPublic } from '@emporium/contracts';
import { authenticate, authenticateOptional, countBy, idempotent, serve, NotFoundError, parseWith, principalOf, principalOrNull, requireRole, uuidParams, type KeySource } from '@emporium/kit';
import type { CatalogContext } from '../domain/catalog-context';
import { createCategory, listCategories, putSpecTemplate, specTemplateFor } from '../domain/categories';
import { browse, productSnapshots, skuOffers, createProduct, getOwnProduct, ownProducts, productDetail, publish, putCompanyPrices, putTiers, readImage, unpublish, updateProduct, uploadImage } from '../domain/products';

const ids = uuidParams;

export function catalogRoutes(ctx: CatalogContext, keys: KeySource): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const maybeSignedIn = authenticateOptional(keys);
  const once = idempotent({ db: ctx.db, logger: ctx.logger, caller: (req) => principalOf(req).userId });
  const admin = [signedIn, requireRole('platform_admin')];
  serve(router, CatalogPublic.catalogStats, ...admin, async (_req, res) => {
    res.json({ products: await countBy(ctx.db, 'products', 'status') });
  });

  // storefront: a product and a category's page, as anyone may read them, are marked so for a few seconds
  // (the gateway gives them again meanwhile; the category tree is not: an admin's new category shows at once);
  // a product read with credentials may hold the reader's own prices and is never shared
  const shared = (res: Response, principal: unknown = null) => {
    if (principal !== null) res.set('Cache-Control', 'private, no-cache');
    else if (ctx.publicMaxAgeSeconds > 0) res.set('Cache-Control', `public, max-age=${ctx.publicMaxAgeSeconds}`);
  };
  serve(router, CatalogPublic.listCategories, async (_req, res) => {
    res.json({ items: await listCategories(ctx) });
  });
  serve(router, CatalogPublic.getSpecTemplate, async (req, res) => {
    const [categoryId] = ids(req, 'categoryId');
    res.json(await specTemplateFor(ctx, categoryId!));
  });
  serve(router, CatalogPublic.browseProducts, async (req, res) => {
    const page = await browse(ctx, parseWith(BrowseQuery, req.query, 'query'));
    shared(res);
    res.json(page);
  });
  serve(router, CatalogPublic.getProduct, maybeSignedIn, async (req, res) => {
    const [productId] = ids(req, 'productId');
    const principal = principalOrNull(req);
    const product = await productDetail(ctx, productId!, principal);
    shared(res, principal);
    res.json(product);
  });
  serve(router, CatalogPublic.getMedia, async (req, res) => {
    const image = await readImage(ctx, typeof req.params.file === 'string' ? req.params.file : '');
    res.set('Cache-Control', 'public, max-age=31536000, immutable').type(image.contentType).send(image.bytes);
  });

  // other services, through their sidecars
  serve(router, CatalogInternal.getSkuOwner, async (req, res) => {
    const [skuId] = ids(req, 'skuId');
    const owner = await ctx.repo.skuOwner(skuId!);
    if (!owner) throw new NotFoundError('no such SKU');
    res.json(owner satisfies SkuOwner);
  });
  serve(router, CatalogInternal.getCategoryTree, async (_req, res) => {
    res.json({ items: await listCategories(ctx) });
  });
  serve(router, CatalogInternal.listProductSnapshots, async (req, res) => {
    res.json(await productSnapshots(ctx, parseWith(ProductSnapshotsQuery, req.query, 'query')));
  });
  serve(router, CatalogInternal.getSkuOffers, async (req, res) => {
    const { skuIds, companyId } = parseWith(SkuOffersRequest, req.body);
    res.json({ items: await skuOffers(ctx, skuIds, companyId) });
  });

  // admins
  serve(router, CatalogPublic.createCategory, ...admin, once, async (req, res) => {
    res.status(201).json(await createCategory(ctx, parseWith(CreateCategoryRequest, req.body)));
  });
  serve(router, CatalogPublic.putSpecTemplate, ...admin, async (req, res) => {
    const [categoryId] = ids(req, 'categoryId');
    res.json(await putSpecTemplate(ctx, categoryId!, parseWith(PutSpecTemplateRequest, req.body).specs));
  });

  // merchants, on their own shop
  serve(router, CatalogPublic.createProduct, signedIn, once, async (req, res) => {
    const [shopId] = ids(req, 'shopId');
    res.status(201).json(await createProduct(ctx, principalOf(req), shopId!, parseWith(CreateProductRequest, req.body)));
  });
  serve(router, CatalogPublic.listOwnProducts, signedIn, async (req, res) => {
    const [shopId] = ids(req, 'shopId');
    res.json(await ownProducts(ctx, principalOf(req), shopId!, parseWith(ShopProductsQuery, req.query, 'query')));
  });
  serve(router, CatalogPublic.getOwnProduct, signedIn, async (req, res) => {
    const [shopId, productId] = ids(req, 'shopId', 'productId');
    res.json(await getOwnProduct(ctx, principalOf(req), shopId!, productId!));
  });
  serve(router, CatalogPublic.updateProduct, signedIn, async (req, res) => {
    const [shopId, productId] = ids(req, 'shopId', 'productId');
    res.json(await updateProduct(ctx, principalOf(req), shopId!, productId!, parseWith(UpdateProductRequest, req.body)));
  });
  serve(router, CatalogPublic.putTiers, signedIn, async (req, res) => {
    const [shopId, productId, skuId] = ids(req, 'shopId', 'productId', 'skuId');
    res.json(await putTiers(ctx, principalOf(req), shopId!, productId!, skuId!, parseWith(PutTiersRequest, req.body)));
  });
  serve(router, CatalogPublic.putCompanyPrices, signedIn, async (req, res) => {
    const [shopId, productId, companyId] = ids(req, 'shopId', 'productId', 'companyId');
    res.json(await putCompanyPrices(ctx, principalOf(req), shopId!, productId!, companyId!, parseWith(PutCompanyPricesRequest, req.body)));
  });
  serve(router, CatalogPublic.publishProduct, signedIn, async (req, res) => {
    const [shopId, productId] = ids(req, 'shopId', 'productId');
    res.json(await publish(ctx, principalOf(req), shopId!, productId!));
  });
  serve(router, CatalogPublic.unpublishProduct, signedIn, async (req, res) => {
    const [shopId, productId] = ids(req, 'shopId', 'productId');
    res.json(await unpublish(ctx, principalOf(req), shopId!, productId!));
  });
  serve(router, CatalogPublic.uploadImage, signedIn, once, async (req, res) => {
    const [shopId, productId] = ids(req, 'shopId', 'productId');
    res.status(201).json(await uploadImage(ctx, principalOf(req), shopId!, productId!, parseWith(UploadImageRequest, req.body)));
  });
  return router;
}
