import type { Shipment, TokenPair } from '@emporium/contracts';
import { call, type ApiAnswer } from './api-client';

/** The carrier simulator's journeys (apps/carrier-sim `TestJourneys`), by the last four digits of a tracking number. */
export const Journeys = {
  delivered: '0000',
  failedAttempt: '0001',
  exception: '0002',
  returned: '0003',
  duplicates: '0004',
  outOfOrder: '0005',
  silent: '0006',
  pickup: '0007',
  unknownCode: '0008',
} as const;
export type Journey = keyof typeof Journeys;

let made = 0;
/** An SF tracking number (SF + 12 digits) no other call of this process makes, its last four digits choosing its journey. */
export function testTrackingNumber(journey: Journey = 'delivered'): string {
  made = (made + 1) % 100;
  const stamp = `${Date.now() % 1_000_000}`.padStart(6, '0');
  return `SF${stamp}${String(made).padStart(2, '0')}${Journeys[journey]}`;
}

/** The shop ships a sub-order through /api/v1 (one parcel per number); a silent parcel keeps the sub-order SHIPPED. */
export function shipThroughApi(shop: { shopId: string; tokens: TokenPair }, subOrderId: string, numbers: string[] = [testTrackingNumber('silent')]): Promise<ApiAnswer<Shipment>> {
  return call<Shipment>('POST', `/shops/${shop.shopId}/shipments`, { token: shop.tokens, idempotent: true, body: { subOrderId, parcels: numbers.map((trackingNumber) => ({ carrier: 'SF', trackingNumber })) } });
}
