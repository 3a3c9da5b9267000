import 'server-only';
import { LogisticsPublic, type CreateShipmentRequest, type Shipment } from '@emporium/contracts';
import { call } from './sidecar';

export async function carriers() {
  return (await call(LogisticsPublic.listCarriers, {})).items;
}

export async function createShipment(token: string, shopId: string, key: string, body: CreateShipmentRequest) {
  return call(LogisticsPublic.createShipment, { params: { shopId }, token, body, headers: { 'idempotency-key': key } });
}

/** The shop's newest shipments (`stale`: only those with a parcel gone quiet), by sub-order. */
export async function shopShipments(token: string, shopId: string, stale = false): Promise<Map<string, Shipment>> {
  const { items } = await call(LogisticsPublic.listShopShipments, { params: { shopId }, token, query: stale ? { stale: 'true' } : {} });
  return new Map(items.map((s) => [s.subOrderId, s]));
}

/** The shipments of one of the buyer's orders, by sub-order. */
export async function orderShipments(token: string, orderId: string): Promise<Map<string, Shipment>> {
  const { items } = await call(LogisticsPublic.listOrderShipments, { params: { orderId }, token });
  return new Map(items.map((s) => [s.subOrderId, s]));
}
