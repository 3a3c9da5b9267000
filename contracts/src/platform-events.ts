import { defineRegistry } from './events';
import { IdentityEvents } from './identity';
import { ShopEvents } from './shops';
import { CatalogEvents } from './catalog';
import { InventoryEvents } from './inventory';
import { PaymentEvents } from './payment';
import { OrderEvents } from './order';
import { GroupBuyEvents } from './group-buys';
import { MembershipEvents } from './membership';
import { LogisticsEvents } from './logistics';
import { AfterSalesEvents } from './after-sales';
import { AnalyticsEvents } from './analytics';

/**
 * Every domain event of the platform, keyed by topic. Bounded contexts add
 * their events here as they are built (catalog's `product.*` come with the
 * catalog service); the generated AsyncAPI document is made from this map.
 */
export const PlatformEvents = defineRegistry(...IdentityEvents, ...ShopEvents, ...CatalogEvents, ...InventoryEvents, ...PaymentEvents, ...OrderEvents, ...GroupBuyEvents, ...MembershipEvents, ...LogisticsEvents, ...AfterSalesEvents, ...AnalyticsEvents);
export type PlatformEvents = typeof PlatformEvents;

/** Topic names as constants: `Topics['order.paid']`. */
export const Topics = Object.fromEntries(Object.keys(PlatformEvents).map((t) => [t, t])) as {
  readonly [T in keyof PlatformEvents]: T;
};
