import { defineOperations, type ApiOperation } from './operation';
import { listOf } from './list';
import { CreateFlashSaleRequest, FlashSale, InternalQuoteRequest, PutShippingRuleRequest, Quote, QuoteRequest, ShippingRule } from './marketing';
import { Coupon, CouponsForSelection, CouponTemplate, CreateCouponTemplateRequest, GiftCouponRequest, IssueCouponRequest, OrderCoupons, ReleaseCouponsRequest, ReserveCouponsRequest, SetCouponTemplateStatusRequest } from './coupons';
import { CreateReductionRequest, Reduction, SetReductionStatusRequest } from './promotions';
import { CreateGroupBuyCampaignRequest, GroupBuy, GroupBuyCampaign, GroupBuyOffer, GroupOutcome, GroupOutcomesRequest, GroupSeat, HoldGroupSeatRequest, MyGroupBuy, SetGroupBuyCampaignStatusRequest } from './group-buys';

const app = 'marketing' as const;

/** Groups of 3 at CNY 59.00 for 24 hours, through 2099. */
const groupBuyExample = {
  skuId: '7d3c5e0a-2b1f-4c8e-9a6d-5f4e3d2c1b0a',
  title: { 'zh-CN': '三人团 青瓷茶杯', en: 'Celadon cup, groups of 3' },
  groupSize: 3,
  price: { amount: 5_900, currency: 'CNY' },
  openSeconds: 86_400,
  perUserLimit: 2,
  startsAt: '2099-01-01T00:00:00Z',
  endsAt: '2099-02-01T00:00:00Z',
};

/** 满 100 减 10, claimable in January 2099, usable for 7 days after the claim. */
const couponTemplateExample = {
  name: { 'zh-CN': '满100减10', en: '10 off 100' },
  discount: { kind: 'fixed', amount: { amount: 1_000, currency: 'CNY' } },
  minSpend: { amount: 10_000, currency: 'CNY' },
  scope: { kind: 'all' },
  validity: { kind: 'after-claim', days: 7 },
  claimStartsAt: '2099-01-01T00:00:00Z',
  claimEndsAt: '2099-02-01T00:00:00Z',
  total: 1_000,
  perUserLimit: 1,
};

const reductionExample = {
  name: { 'zh-CN': '满300减30，满500减80', en: '30 off 300, 80 off 500' },
  tiers: [
    { kind: 'amount-off', threshold: { amount: 30_000, currency: 'CNY' }, off: { amount: 3_000, currency: 'CNY' } },
    { kind: 'amount-off', threshold: { amount: 50_000, currency: 'CNY' }, off: { amount: 8_000, currency: 'CNY' } },
  ],
  repeat: false,
  scope: { kind: 'all' },
  startsAt: '2099-01-01T00:00:00Z',
  endsAt: '2099-02-01T00:00:00Z',
};

/** marketing's public operations. */
export const MarketingPublic = defineOperations({
  quote: { operationId: 'quote', method: 'post', path: '/quote', appId: app, access: 'anyone', summary: "Price a selection: list, tier or company price per line, each shop's shipping, totals; how every price was reached",
    request: QuoteRequest, responses: { 200: { description: 'Quote', schema: Quote }, 422: { description: 'A SKU cannot be bought, or the lines mix currencies' } } },
  getShippingRule: { operationId: 'getShippingRule', method: 'get', path: '/shops/:shopId/shipping-rule', appId: app, access: 'anyone', summary: "A shop's shipping charge", responses: { 200: { description: 'Rule', schema: ShippingRule } } },
  putShippingRule: { operationId: 'putShippingRule', method: 'put', path: '/shops/:shopId/shipping-rule', appId: app, summary: "Set the caller's shop's shipping charge", request: PutShippingRuleRequest, responses: { 200: { description: 'Rule', schema: ShippingRule } } },
  listFlashSales: { operationId: 'listFlashSales', method: 'get', path: '/flash-sales', appId: app, access: 'anyone', summary: 'Flash sales running and upcoming (status=…, shopId=…), soonest end first',
    responses: { 200: { description: 'Flash sales', schema: listOf(FlashSale) } } },
  getFlashSale: { operationId: 'getFlashSale', method: 'get', path: '/flash-sales/:campaignId', appId: app, access: 'anyone', summary: 'One flash sale', responses: { 200: { description: 'Flash sale', schema: FlashSale } } },
  createFlashSale: { operationId: 'createFlashSale', method: 'post', path: '/shops/:shopId/flash-sales', appId: app, summary: "Start a flash sale of one of the caller's shop's SKUs; its units are set aside from stock at once",
    request: CreateFlashSaleRequest, idempotent: true,
    responses: { 201: { description: 'Created', schema: FlashSale }, 409: { description: 'Fewer units in stock than the sale sells' }, 422: { description: 'The SKU cannot be sold, or the price is above its list price' } } },

  // coupons (优惠券): templates by shops and the platform, claimed by shoppers
  listCouponTemplates: { operationId: 'listCouponTemplates', method: 'get', path: '/coupons', appId: app, access: 'anyone',
    summary: 'The coupon centre: templates open for claiming with coupons left (shopId=…, productId=… with categoryId=… for those that apply to a product)',
    responses: { 200: { description: 'Coupon templates', schema: listOf(CouponTemplate) } } },
  claimCoupon: { operationId: 'claimCoupon', method: 'post', path: '/coupons/:templateId/claim', appId: app, idempotent: true,
    summary: 'Claim a coupon (领券): never more than the template issues, nor more than its per-user limit',
    responses: { 201: { description: 'The claimed coupon', schema: Coupon }, 404: { description: 'No such template, or not claimable now' }, 409: { description: 'None left, or the per-user limit is reached' } } },
  issueCoupon: { operationId: 'issueCoupon', method: 'post', path: '/coupons/:templateId/issue', appId: app, idempotent: true,
    summary: 'Give one coupon to a named user, with the reason they read (a compensation): of a platform template by a platform admin, of a shop’s by its staff; the template must be made for issuing',
    request: IssueCouponRequest, example: { userId: '7c0b7f3e-3c1e-4b8e-9a51-2f4f7d3b9a10', reason: 'Sorry for the late delivery' },
    responses: { 201: { description: 'The issued coupon', schema: Coupon }, 404: { description: 'No such template of the caller’s, or not open now' }, 409: { description: 'None left, the user’s limit is reached, or the template is not for issuing' } } },
  listReductions: { operationId: 'listReductions', method: 'get', path: '/reductions', appId: app, access: 'anyone',
    summary: 'A shop’s full-reduction activities running now (shopId=…; with productId=… and categoryPath=…, those that reach the product)',
    responses: { 200: { description: 'Activities', schema: listOf(Reduction) } } },
  listShopReductions: { operationId: 'listShopReductions', method: 'get', path: '/shops/:shopId/reductions', appId: app, summary: "The caller's shop's full-reduction activities, running and upcoming first",
    responses: { 200: { description: 'Activities', schema: listOf(Reduction) } } },
  createReduction: { operationId: 'createReduction', method: 'post', path: '/shops/:shopId/reductions', appId: app, idempotent: true,
    summary: 'Start a full-reduction activity (满减 / 满折) funded by the caller’s shop, on its own goods', request: CreateReductionRequest, example: reductionExample,
    responses: { 201: { description: 'Created', schema: Reduction } } },
  setReductionStatus: { operationId: 'setReductionStatus', method: 'put', path: '/reductions/:reductionId/status', appId: app, summary: 'Pause or resume a full-reduction activity (its shop’s staff)',
    request: SetReductionStatusRequest, responses: { 200: { description: 'Activity', schema: Reduction } } },
  listMyCoupons: { operationId: 'listMyCoupons', method: 'get', path: '/me/coupons', appId: app, summary: "The caller's coupons (state=usable|used|expired), usable ones expiring soonest first",
    responses: { 200: { description: 'Coupons', schema: listOf(Coupon) } } },
  couponsForSelection: { operationId: 'couponsForSelection', method: 'post', path: '/me/coupons/for-selection', appId: app,
    summary: "The caller's usable coupons against a selection (the cart, or a buy-now line): what each takes off or what it lacks, and the best combination picked; nothing is held",
    request: QuoteRequest, responses: { 200: { description: 'Coupons for the selection', schema: CouponsForSelection }, 422: { description: 'A SKU cannot be bought, or the lines mix currencies' } } },
  listShopCouponTemplates: { operationId: 'listShopCouponTemplates', method: 'get', path: '/shops/:shopId/coupons', appId: app, summary: "The caller's shop's coupon templates with what was claimed and used, newest first",
    responses: { 200: { description: 'Coupon templates', schema: listOf(CouponTemplate) } } },
  createShopCouponTemplate: { operationId: 'createShopCouponTemplate', method: 'post', path: '/shops/:shopId/coupons', appId: app, idempotent: true,
    summary: "Issue coupons funded by the caller's shop; they apply only to the shop's own lines, whatever the scope names", request: CreateCouponTemplateRequest, example: couponTemplateExample,
    responses: { 201: { description: 'Created', schema: CouponTemplate } } },
  listPlatformCouponTemplates: { operationId: 'listPlatformCouponTemplates', method: 'get', path: '/admin/coupons', appId: app, summary: 'Platform coupon templates (platform admins), newest first',
    responses: { 200: { description: 'Coupon templates', schema: listOf(CouponTemplate) } } },
  createPlatformCouponTemplate: { operationId: 'createPlatformCouponTemplate', method: 'post', path: '/admin/coupons', appId: app, idempotent: true,
    summary: 'Issue coupons funded by the platform (platform admins)', request: CreateCouponTemplateRequest, example: couponTemplateExample,
    responses: { 201: { description: 'Created', schema: CouponTemplate } } },
  setCouponTemplateStatus: { operationId: 'setCouponTemplateStatus', method: 'put', path: '/coupons/:templateId/status', appId: app,
    summary: 'Pause or resume claiming (the issuing shop’s staff, or platform admins for platform coupons); coupons claimed already stay usable',
    request: SetCouponTemplateStatusRequest, responses: { 200: { description: 'Template', schema: CouponTemplate } } },
  listGroupBuyOffers: { operationId: 'listGroupBuyOffers', method: 'get', path: '/group-buys', appId: app, access: 'anyone',
    summary: "A product's running group-buy campaigns (productId=…), each with up to 10 groups a shopper can join, soonest to end first", responses: { 200: { description: 'Campaigns with open groups', schema: listOf(GroupBuyOffer) } } },
  getGroupBuyCampaign: { operationId: 'getGroupBuyCampaign', method: 'get', path: '/group-buy-campaigns/:campaignId', appId: app, access: 'anyone',
    summary: 'One group-buy campaign: its SKU, group price and size, and how its groups stand', responses: { 200: { description: 'Campaign', schema: GroupBuyCampaign } } },
  getGroupBuy: { operationId: 'getGroupBuy', method: 'get', path: '/group-buys/:groupId', appId: app, access: 'anyone',
    summary: 'One group (the page a member shares): its members without names, seats left, when it ends', responses: { 200: { description: 'Group', schema: GroupBuy } } },
  listMyGroupBuys: { operationId: 'listMyGroupBuys', method: 'get', path: '/me/group-buys', appId: app, summary: "The groups the caller opened or joined, newest first, with the caller's seat",
    responses: { 200: { description: 'Groups', schema: listOf(MyGroupBuy) } } },
  listShopGroupBuyCampaigns: { operationId: 'listShopGroupBuyCampaigns', method: 'get', path: '/shops/:shopId/group-buys', appId: app, summary: "The caller's shop's group-buy campaigns with their groups' counts, newest first",
    responses: { 200: { description: 'Campaigns', schema: listOf(GroupBuyCampaign) } } },
  createGroupBuyCampaign: { operationId: 'createGroupBuyCampaign', method: 'post', path: '/shops/:shopId/group-buys', appId: app, idempotent: true,
    summary: "Start a group-buy campaign (拼团) for one of the caller's shop's SKUs", request: CreateGroupBuyCampaignRequest, example: groupBuyExample,
    responses: { 201: { description: 'Created', schema: GroupBuyCampaign }, 422: { description: 'The SKU cannot be sold, or the group price is not below its list price' } } },
  setGroupBuyCampaignStatus: { operationId: 'setGroupBuyCampaignStatus', method: 'put', path: '/group-buy-campaigns/:campaignId/status', appId: app,
    summary: 'Pause or resume opening new groups (its shop’s staff); open groups still fill or fail', request: SetGroupBuyCampaignStatusRequest,
    responses: { 200: { description: 'Campaign', schema: GroupBuyCampaign } } },
});
export const MarketingOperations: readonly ApiOperation[] = Object.values(MarketingPublic);

/** Called by order (and membership) through their sidecars. */
export const MarketingInternal = defineOperations({
  giftCoupon: { operationId: 'giftCoupon', method: 'post', path: '/internal/coupon-gifts', appId: app, internal: true, callers: ['membership'],
    summary: "Give a member a coupon of one of the platform's `issued` templates by rule (a birthday); the same key again answers the same coupon",
    request: GiftCouponRequest, responses: { 201: { description: 'Given', schema: Coupon }, 404: { description: 'No such platform template open now' }, 409: { description: 'Refused (`code`: coupons_exhausted, coupon_limit_reached, coupon_not_issuable)' } } },
  quoteForBuyer: { operationId: 'quoteForBuyer', method: 'post', path: '/internal/quote', appId: app, internal: true, callers: ['order'], summary: 'The quote for a named buyer (checkout)', request: InternalQuoteRequest,
    responses: { 200: { description: 'Quote', schema: Quote } } },
  reserveCoupons: { operationId: 'reserveCoupons', method: 'post', path: '/internal/coupon-reservations', appId: app, internal: true, callers: ['order'],
    summary: "Hold the buyer's coupons for an order, all or none: a coupon is held by one order at a time, so of two orders that want it one wins; the same order again answers the same",
    request: ReserveCouponsRequest, responses: { 200: { description: 'Held', schema: OrderCoupons }, 409: { description: 'A coupon is used, held by another order, expired, not yet valid or not the buyer’s' } } },
  redeemCoupons: { operationId: 'redeemCoupons', method: 'post', path: '/internal/coupon-reservations/:orderId/redeem', appId: app, internal: true, callers: ['order'],
    summary: "The order is paid: its coupons are used (idempotent)", responses: { 200: { description: 'Used', schema: OrderCoupons } } },
  releaseCoupons: { operationId: 'releaseCoupons', method: 'post', path: '/internal/coupon-reservations/:orderId/release', appId: app, internal: true, callers: ['order'],
    summary: 'The order ended unpaid: its coupons are usable again (idempotent; coupons of a paid order stay used)', request: ReleaseCouponsRequest,
    responses: { 200: { description: 'Released', schema: OrderCoupons } } },
  holdGroupSeat: { operationId: 'holdGroupSeat', method: 'post', path: '/internal/group-seats', appId: app, internal: true, callers: ['order'],
    summary: "Take a seat in a group for an order (a new group without groupId), through the group's GroupBuy actor; the same order again answers the same",
    request: HoldGroupSeatRequest, responses: { 200: { description: 'Held', schema: GroupSeat }, 404: { description: 'No such campaign or group' }, 409: { description: 'Refused (`code`: group_full, group_ended, own_group, over_limit, campaign_not_running)' } } },
  releaseGroupSeat: { operationId: 'releaseGroupSeat', method: 'post', path: '/internal/group-seats/:orderId/release', appId: app, internal: true, callers: ['order'],
    summary: "The order ended unpaid: its seat is free again (idempotent; a paid seat stays)", responses: { 200: { description: 'Released, or nothing was held', schema: GroupSeat.nullable() } } },
  groupSeatPaid: { operationId: 'groupSeatPaid', method: 'post', path: '/internal/group-seats/:orderId/paid', appId: app, internal: true, callers: ['order'],
    summary: "The order is paid: its seat becomes a member (idempotent). The group forms on its last member (group-buy.formed); a payment after the group ended is refunded (group-buy.failed)",
    responses: { 200: { description: 'The seat and the group', schema: GroupSeat }, 404: { description: 'The order holds no seat' } } },
  groupOutcomes: { operationId: 'groupOutcomes', method: 'post', path: '/internal/group-seats/outcomes', appId: app, internal: true, callers: ['order'],
    summary: "How the groups of these orders' seats ended (order asks when a group's formed or failed event is late; read only)", request: GroupOutcomesRequest,
    responses: { 200: { description: 'Outcomes (of the orders holding a seat)', schema: listOf(GroupOutcome) } } },
});
