import { defineOperations, type ApiOperation } from './operation';
import { listOf } from './list';
import { CreateFlashSaleRequest, FlashSale, InternalQuoteRequest, PutShippingRuleRequest, Quote, QuoteRequest, ShippingRule } from './marketing';

const app = 'marketing' as const;

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
});
export const MarketingOperations: readonly ApiOperation[] = Object.values(MarketingPublic);

/** Called by order through its sidecar. */
export const MarketingInternal = defineOperations({
  quoteForBuyer: { operationId: 'quoteForBuyer', method: 'post', path: '/internal/quote', appId: app, internal: true, callers: ['order'], summary: 'The quote for a named buyer (checkout)', request: InternalQuoteRequest,
    responses: { 200: { description: 'Quote', schema: Quote } } },
});
