import 'server-only';
import { MarketingPublic, type CreateReductionRequest, type Reduction } from '@emporium/contracts';
import { call } from './sidecar';

/** A shop's full-reduction activities running now; with a product, those that reach it. */
export async function runningReductions(shopId: string, product?: { productId: string; categoryPath: readonly string[] }): Promise<Reduction[]> {
  const query = { shopId, ...(product ? { productId: product.productId, categoryPath: product.categoryPath.join(',') } : {}) };
  return (await call(MarketingPublic.listReductions, { query })).items;
}

export async function shopReductions(token: string, shopId: string): Promise<Reduction[]> {
  return (await call(MarketingPublic.listShopReductions, { params: { shopId }, token })).items;
}

export async function createReduction(token: string, shopId: string, key: string, body: CreateReductionRequest) {
  return call(MarketingPublic.createReduction, { params: { shopId }, token, body, headers: { 'idempotency-key': key } });
}

export async function setReductionStatus(token: string, reductionId: string, status: Reduction['status']) {
  return call(MarketingPublic.setReductionStatus, { params: { reductionId }, token, body: { status } });
}
