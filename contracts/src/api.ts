import type { ApiOperation } from './operation';
import type { AppId } from './names';
import { Liveness, Readiness } from './health';
import { Problem } from './problem';
import { Company, CompanyBuyer, Invitation, Session, TokenPair, User } from './identity';
import { IdentityInternal, IdentityOperations } from './identity-api';
import { ShopInternal, ShopOperations } from './shop-api';
import { CatalogInternal, CatalogOperations } from './catalog-api';
import { InventoryInternal, InventoryOperations } from './inventory-api';
import { MarketingInternal, MarketingOperations } from './marketing-api';
import { CartInternal, CartOperations } from './cart-api';
import { PaymentInternal, PaymentOperations } from './payment-api';
import { OrderInternal, OrderOperations } from './order-api';
import { Order, SubOrder } from './order';
import { PaymentIntent } from './payment';
import { Cart } from './cart';
import { Quote } from './marketing';
import { Stock } from './inventory';
import { Category, Product, ProductPage, SpecTemplate } from './catalog';
import { PublicShop, Shop, StaffInvitation, StaffMember } from './shops';
import { MembershipInternal, MembershipOperations } from './membership-api';
import { SearchInternal, SearchOperations } from './search-api';
import { AnalyticsInternal, AnalyticsOperations } from './analytics-api';
import { NotificationInternal, NotificationOperations } from './notification-api';
import { LogisticsInternal, LogisticsOperations } from './logistics-api';

/** Named schemas that appear under `components.schemas` of the OpenAPI document. */
export const SharedSchemas = { Problem, Liveness, Readiness, User, Session, TokenPair, Company, CompanyBuyer, Invitation, Shop, PublicShop, StaffInvitation, StaffMember, Category, SpecTemplate, Product, ProductPage, Stock, Quote, Cart, PaymentIntent, Order, SubOrder } as const;

/** Operations every service built on the kit serves. */
export const ServiceOperations: readonly ApiOperation[] = [
  {
    operationId: 'liveness',
    method: 'get',
    path: '/healthz',
    appId: '*',
    summary: 'The process is alive',
    responses: { 200: { description: 'Alive', schema: Liveness } },
  },
  {
    operationId: 'readiness',
    method: 'get',
    path: '/readyz',
    appId: '*',
    summary: 'Database reachable, migrations applied and sidecar healthy',
    responses: {
      200: { description: 'Ready', schema: Readiness },
      503: { description: 'Not ready; the failing checks are listed', schema: Readiness },
    },
  },
];

/** The public API: what the gateway routes at /api/v1 and its OpenAPI document shows. */
export const PublicOperations: readonly ApiOperation[] = [...IdentityOperations, ...ShopOperations, ...CatalogOperations, ...InventoryOperations, ...MarketingOperations, ...CartOperations, ...PaymentOperations, ...OrderOperations, ...MembershipOperations, ...SearchOperations, ...AnalyticsOperations, ...NotificationOperations, ...LogisticsOperations];

/** Service-to-service operations, each with the app-ids that may call it. */
export const InternalOperations: readonly ApiOperation[] = [
  ...Object.values(IdentityInternal),
  ...Object.values<ApiOperation>(ShopInternal),
  ...Object.values(CatalogInternal),
  ...Object.values(InventoryInternal),
  ...Object.values(MarketingInternal),
  ...Object.values(CartInternal),
  ...Object.values(PaymentInternal),
  ...Object.values<ApiOperation>(OrderInternal),
  ...Object.values<ApiOperation>(MembershipInternal),
  ...Object.values<ApiOperation>(SearchInternal),
  ...Object.values<ApiOperation>(AnalyticsInternal),
  ...Object.values<ApiOperation>(NotificationInternal),
  ...Object.values<ApiOperation>(LogisticsInternal),
];

/**
 * The one registry: every operation of the platform. The gateway, the typed
 * client, the mounted routes, the OpenAPI documents, the access-control
 * policies and the generated hostile-input and tenancy tests all read it.
 */
export const Operations: readonly ApiOperation[] = [...ServiceOperations, ...PublicOperations, ...InternalOperations];

/**
 * The operations one app serves (not the `'*'` ones every service has). The
 * package's entry point (`lazy-index`) answers this from the app's own
 * modules, without loading every other app's schemas.
 */
export function operationsOf(appId: AppId): readonly ApiOperation[] {
  return Operations.filter((op) => op.appId === appId);
}

export { Problem };
export * from './operation';
