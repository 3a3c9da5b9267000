import 'server-only';
import { MarketingPublic, type CreateGroupBuyCampaignRequest, type GroupBuy, type GroupBuyCampaign, type GroupBuyOffer, type MyGroupBuy } from '@emporium/contracts';
import { call, orNull } from './sidecar';

/** A product's running group-buy campaigns with groups to join (the caller's own marked when signed in). */
export async function groupBuyOffers(productId: string, token?: string): Promise<GroupBuyOffer[]> {
  return (await call(MarketingPublic.listGroupBuyOffers, { query: { productId }, ...(token ? { token } : {}) })).items;
}

export async function groupBuyCampaign(campaignId: string): Promise<GroupBuyCampaign | null> {
  return orNull(call(MarketingPublic.getGroupBuyCampaign, { params: { campaignId } }));
}

export async function groupBuy(groupId: string, token?: string): Promise<GroupBuy | null> {
  return orNull(call(MarketingPublic.getGroupBuy, { params: { groupId }, ...(token ? { token } : {}) }));
}

export async function myGroupBuys(token: string): Promise<MyGroupBuy[]> {
  return (await call(MarketingPublic.listMyGroupBuys, { token })).items;
}

export async function shopGroupBuyCampaigns(token: string, shopId: string): Promise<GroupBuyCampaign[]> {
  return (await call(MarketingPublic.listShopGroupBuyCampaigns, { params: { shopId }, token })).items;
}

export async function createGroupBuyCampaign(token: string, shopId: string, key: string, body: CreateGroupBuyCampaignRequest) {
  return call(MarketingPublic.createGroupBuyCampaign, { params: { shopId }, token, body, headers: { 'idempotency-key': key } });
}

export async function setGroupBuyCampaignStatus(token: string, campaignId: string, status: GroupBuyCampaign['status']) {
  return call(MarketingPublic.setGroupBuyCampaignStatus, { params: { campaignId }, token, body: { status } });
}
