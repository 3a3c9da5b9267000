import type { PlatformEvents } from '@emporium/contracts';
import type { Database, EventBus, Logger, Sidecar } from '@emporium/kit';
import type { GroupBuyRepository } from '../data/group-buy-repository';
import type { CouponRepository } from '../data/coupon-repository';
import type { FlashSaleRepository } from '../data/flash-sale-repository';
import type { ReductionRepository } from '../data/reduction-repository';
import type { ShippingRepository } from '../data/shipping-repository';
import type { MemberTerms } from './member-terms';

/** What marketing's use-cases need; built once in app.ts. */
export interface MarketingContext {
  repo: ShippingRepository;
  flashSales: FlashSaleRepository;
  coupons: CouponRepository;
  reductions: ReductionRepository;
  groupBuys: GroupBuyRepository;
  db: Database;
  events: EventBus<PlatformEvents>;
  sidecar: Sidecar;
  logger: Logger;
  defaults: { fee: number; freeAbove: number; currency: string };
  /** a signed-in buyer's membership terms (null when membership does not answer in time) */
  members: MemberTerms;
  /** how long after its end a flash sale's price still holds at checkout (shoppers hold units for a few minutes) */
  flashCheckoutGraceMs: number;
}
