import { Router } from 'express';
import { InternalQuoteRequest, PutShippingRuleRequest, QuoteRequest } from '@emporium/contracts';
import { authenticate, authenticateOptional, companyOf, internalOnly, parseWith, principalOf, principalOrNull, uuidParams, type KeySource } from '@emporium/kit';
import { priceSelection, putShippingRule, shippingRule, type MarketingContext } from '../domain/quotes';

export function marketingRoutes(ctx: MarketingContext, keys: KeySource): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const maybeSignedIn = authenticateOptional(keys);

  // a quote changes nothing, so a retry needs no key
  router.post('/quote', maybeSignedIn, async (req, res) => {
    const { lines } = parseWith(QuoteRequest, req.body);
    res.json(await priceSelection(ctx, lines, companyOf(principalOrNull(req))));
  });
  router.get('/shops/:shopId/shipping-rule', async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json(await shippingRule(ctx, shopId!));
  });
  router.put('/shops/:shopId/shipping-rule', signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json(await putShippingRule(ctx, principalOf(req), shopId!, parseWith(PutShippingRuleRequest, req.body)));
  });

  router.post('/internal/quote', internalOnly('order'), async (req, res) => {
    const { lines, buyer } = parseWith(InternalQuoteRequest, req.body);
    res.json(await priceSelection(ctx, lines, buyer.companyId));
  });
  return router;
}
