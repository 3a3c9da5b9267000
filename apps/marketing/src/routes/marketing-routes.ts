import { Router } from 'express';
import {
  CouponTemplateQuery,
  CreateCouponTemplateRequest,
  CreateFlashSaleRequest,
  FlashSaleQuery,
  InternalQuoteRequest,
  MarketingInternal,
  MarketingPublic,
  GiftCouponRequest,
  IssueCouponRequest,
  CreateReductionRequest,
  ReductionQuery,
  SetReductionStatusRequest,
  MyCouponsQuery,
  PutShippingRuleRequest,
  QuoteRequest,
  ReleaseCouponsRequest,
  ReserveCouponsRequest,
  SetCouponTemplateStatusRequest,
  CreateGroupBuyCampaignRequest,
  GroupBuyOfferQuery,
  GroupOutcomesRequest,
  HoldGroupSeatRequest,
  SetGroupBuyCampaignStatusRequest,
} from '@emporium/contracts';
import {
  authenticate,
  authenticateOptional,
  companyOf,
  idempotencyKeyOf,
  idempotent,
  serve,
  parseWith,
  principalOf,
  principalOrNull,
  requireRole,
  uuidFromKey,
  UnauthenticatedError,
  uuidParams,
  type Database,
  type KeySource,
} from '@emporium/kit';
import { claimCoupon, couponsForSelection, createCouponTemplate, giftCoupon, issueCoupon, redeemCoupons, releaseCoupons, reserveCoupons, setCouponTemplateStatus, shopCouponTemplates } from '../domain/coupons';
import { createFlashSale, flashSale } from '../domain/flash-sales';
import { createReduction, setReductionStatus, shopReductions } from '../domain/reductions';
import { createGroupBuyCampaign, groupBuy, groupBuyCampaign, groupBuyOffers, groupOutcomes, groupSeatPaid, holdGroupSeat, myGroupBuys, releaseGroupSeat, setGroupBuyCampaignStatus, shopGroupBuyCampaigns } from '../domain/group-buys';
import { priceSelection, putShippingRule, shippingRule } from '../domain/quotes';
import type { MarketingContext } from '../domain/marketing-context';

export function marketingRoutes(ctx: MarketingContext, keys: KeySource, db: Database): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const maybeSignedIn = authenticateOptional(keys);
  const once = idempotent({ db, logger: ctx.logger, caller: (req) => principalOf(req).userId });

  serve(router, MarketingPublic.listFlashSales, async (req, res) => {
    const filter = parseWith(FlashSaleQuery, req.query, 'query');
    res.json({ items: await ctx.flashSales.list(filter) });
  });
  serve(router, MarketingPublic.getFlashSale, async (req, res) => {
    const [id] = uuidParams(req, 'campaignId');
    res.json(await flashSale(ctx, id!));
  });
  serve(router, MarketingPublic.createFlashSale, signedIn, once, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    const input = parseWith(CreateFlashSaleRequest, req.body);
    const caller = principalOf(req);
    const campaignId = uuidFromKey('flash-sale', caller.userId, idempotencyKeyOf(req));
    res.status(201).json(await createFlashSale(ctx, caller, shopId!, campaignId, input));
  });

  // a quote changes nothing, so a retry needs no key
  serve(router, MarketingPublic.quote, maybeSignedIn, async (req, res) => {
    const { lines, couponIds, points } = parseWith(QuoteRequest, req.body);
    const caller = principalOrNull(req);
    if (couponIds?.length && !caller) throw new UnauthenticatedError('coupons are a signed-in buyer’s: sign in to apply them');
    if (points && !caller) throw new UnauthenticatedError('points are a signed-in buyer’s: sign in to spend them');
    res.json(await priceSelection(ctx, lines, companyOf(caller), caller ? { userId: caller.userId, couponIds, points } : undefined));
  });
  serve(router, MarketingPublic.getShippingRule, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json(await shippingRule(ctx, shopId!));
  });
  serve(router, MarketingPublic.putShippingRule, signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json(await putShippingRule(ctx, principalOf(req), shopId!, parseWith(PutShippingRuleRequest, req.body)));
  });

  // coupons
  const admin = [signedIn, requireRole('platform_admin')];
  serve(router, MarketingPublic.listCouponTemplates, async (req, res) => {
    res.json({ items: await ctx.coupons.claimable(parseWith(CouponTemplateQuery, req.query, 'query')) });
  });
  serve(router, MarketingPublic.claimCoupon, signedIn, once, async (req, res) => {
    const [templateId] = uuidParams(req, 'templateId');
    const caller = principalOf(req);
    const couponId = uuidFromKey('coupon-claim', caller.userId, templateId!, idempotencyKeyOf(req));
    res.status(201).json(await claimCoupon(ctx, caller, templateId!, couponId));
  });
  serve(router, MarketingPublic.issueCoupon, signedIn, once, async (req, res) => {
    const [templateId] = uuidParams(req, 'templateId');
    const input = parseWith(IssueCouponRequest, req.body);
    const caller = principalOf(req);
    const couponId = uuidFromKey('coupon-issue', caller.userId, templateId!, idempotencyKeyOf(req));
    res.status(201).json(await issueCoupon(ctx, caller, templateId!, couponId, input));
  });
  serve(router, MarketingPublic.listMyCoupons, signedIn, async (req, res) => {
    const { state } = parseWith(MyCouponsQuery, req.query, 'query');
    res.json({ items: await ctx.coupons.couponsOf(principalOf(req).userId, state) });
  });
  // a look at the wallet changes nothing, so a retry needs no key
  serve(router, MarketingPublic.couponsForSelection, signedIn, async (req, res) => {
    const { lines } = parseWith(QuoteRequest, req.body);
    res.json(await couponsForSelection(ctx, principalOf(req), lines));
  });
  serve(router, MarketingPublic.listShopCouponTemplates, signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json({ items: await shopCouponTemplates(ctx, principalOf(req), shopId!) });
  });
  serve(router, MarketingPublic.createShopCouponTemplate, signedIn, once, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    const input = parseWith(CreateCouponTemplateRequest, req.body);
    const caller = principalOf(req);
    const templateId = uuidFromKey('coupon-template', caller.userId, shopId!, idempotencyKeyOf(req));
    res.status(201).json(await createCouponTemplate(ctx, caller, shopId!, templateId, input));
  });
  serve(router, MarketingPublic.listPlatformCouponTemplates, ...admin, async (_req, res) => {
    res.json({ items: await ctx.coupons.templatesOf(null) });
  });
  serve(router, MarketingPublic.createPlatformCouponTemplate, ...admin, once, async (req, res) => {
    const input = parseWith(CreateCouponTemplateRequest, req.body);
    const caller = principalOf(req);
    const templateId = uuidFromKey('coupon-template', caller.userId, 'platform', idempotencyKeyOf(req));
    res.status(201).json(await createCouponTemplate(ctx, caller, null, templateId, input));
  });
  serve(router, MarketingPublic.listReductions, async (req, res) => {
    const q = parseWith(ReductionQuery, req.query, 'query');
    res.json({ items: await ctx.reductions.runningFor(q.shopId, q.productId ? { productId: q.productId, categoryPath: q.categoryPath ?? [] } : undefined) });
  });
  serve(router, MarketingPublic.listShopReductions, signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json({ items: await shopReductions(ctx, principalOf(req), shopId!) });
  });
  serve(router, MarketingPublic.createReduction, signedIn, once, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    const input = parseWith(CreateReductionRequest, req.body);
    const caller = principalOf(req);
    res.status(201).json(await createReduction(ctx, caller, shopId!, uuidFromKey('reduction', caller.userId, shopId!, idempotencyKeyOf(req)), input));
  });
  serve(router, MarketingPublic.setReductionStatus, signedIn, async (req, res) => {
    const [reductionId] = uuidParams(req, 'reductionId');
    const { status } = parseWith(SetReductionStatusRequest, req.body);
    res.json(await setReductionStatus(ctx, principalOf(req), reductionId!, status));
  });
  serve(router, MarketingPublic.setCouponTemplateStatus, signedIn, async (req, res) => {
    const [templateId] = uuidParams(req, 'templateId');
    const { status } = parseWith(SetCouponTemplateStatusRequest, req.body);
    res.json(await setCouponTemplateStatus(ctx, principalOf(req), templateId!, status));
  });
  serve(router, MarketingPublic.listGroupBuyOffers, maybeSignedIn, async (req, res) => {
    const { productId } = parseWith(GroupBuyOfferQuery, req.query, 'query');
    res.json({ items: await groupBuyOffers(ctx, productId, principalOrNull(req)?.userId ?? null) });
  });
  serve(router, MarketingPublic.getGroupBuyCampaign, async (req, res) => {
    const [campaignId] = uuidParams(req, 'campaignId');
    res.json(await groupBuyCampaign(ctx, campaignId!));
  });
  serve(router, MarketingPublic.getGroupBuy, maybeSignedIn, async (req, res) => {
    const [groupId] = uuidParams(req, 'groupId');
    res.json(await groupBuy(ctx, groupId!, principalOrNull(req)?.userId ?? null));
  });
  serve(router, MarketingPublic.listMyGroupBuys, signedIn, async (req, res) => {
    res.json({ items: await myGroupBuys(ctx, principalOf(req).userId) });
  });
  serve(router, MarketingPublic.listShopGroupBuyCampaigns, signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json({ items: await shopGroupBuyCampaigns(ctx, principalOf(req), shopId!) });
  });
  serve(router, MarketingPublic.createGroupBuyCampaign, signedIn, once, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    const input = parseWith(CreateGroupBuyCampaignRequest, req.body);
    const caller = principalOf(req);
    res.status(201).json(await createGroupBuyCampaign(ctx, caller, shopId!, uuidFromKey('group-buy-campaign', caller.userId, shopId!, idempotencyKeyOf(req)), input));
  });
  serve(router, MarketingPublic.setGroupBuyCampaignStatus, signedIn, async (req, res) => {
    const [campaignId] = uuidParams(req, 'campaignId');
    const { status } = parseWith(SetGroupBuyCampaignStatusRequest, req.body);
    res.json(await setGroupBuyCampaignStatus(ctx, principalOf(req), campaignId!, status));
  });

  serve(router, MarketingInternal.quoteForBuyer, async (req, res) => {
    const { lines, buyer, couponIds, points } = parseWith(InternalQuoteRequest, req.body);
    res.json(await priceSelection(ctx, lines, buyer.companyId, { userId: buyer.userId, couponIds, points }));
  });
  // order's checkout saga: hold with the order, use when paid, release when it ends unpaid
  serve(router, MarketingInternal.reserveCoupons, async (req, res) => {
    res.json(await reserveCoupons(ctx, parseWith(ReserveCouponsRequest, req.body)));
  });
  serve(router, MarketingInternal.redeemCoupons, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    res.json(await redeemCoupons(ctx, orderId!));
  });
  serve(router, MarketingInternal.giftCoupon, async (req, res) => {
    res.status(201).json(await giftCoupon(ctx, parseWith(GiftCouponRequest, req.body)));
  });
  serve(router, MarketingInternal.releaseCoupons, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    const { reason } = parseWith(ReleaseCouponsRequest, req.body);
    res.json(await releaseCoupons(ctx, orderId!, reason));
  });
  // order's checkout saga: a group buy's seat, taken before anything is charged
  serve(router, MarketingInternal.holdGroupSeat, async (req, res) => {
    res.json(await holdGroupSeat(ctx.sidecar, parseWith(HoldGroupSeatRequest, req.body)));
  });
  serve(router, MarketingInternal.releaseGroupSeat, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    res.json(await releaseGroupSeat(ctx, orderId!));
  });
  serve(router, MarketingInternal.groupSeatPaid, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    res.json(await groupSeatPaid(ctx, orderId!));
  });
  serve(router, MarketingInternal.groupOutcomes, async (req, res) => {
    res.json({ items: await groupOutcomes(ctx, parseWith(GroupOutcomesRequest, req.body).orderIds) });
  });
  return router;
}
