import type { z } from 'zod';
import type { AppId } from './names';
import { Liveness, Readiness } from './health';
import { Problem } from './problem';
import { Company, CompanyBuyer, Invitation, Session, TokenPair, User } from './identity';
import { IdentityOperations } from './identity-api';
import { ShopOperations } from './shop-api';
import { CatalogOperations } from './catalog-api';
import { InventoryOperations } from './inventory-api';
import { MarketingOperations } from './marketing-api';
import { CartOperations } from './cart-api';
import { PaymentOperations } from './payment-api';
import { OrderOperations } from './order-api';
import { Order, SubOrder } from './order';
import { PaymentIntent } from './payment';
import { Cart } from './cart';
import { Quote } from './marketing';
import { Stock } from './inventory';
import { Category, Product, ProductPage, SpecTemplate } from './catalog';
import { PublicShop, Shop, StaffInvitation, StaffMember } from './shops';

/** One HTTP operation of a service, described for OpenAPI. */
export interface ApiOperation {
  readonly operationId: string;
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, `/products/:id`. */
  readonly path: string;
  /** Service that serves it; `'*'` for operations every service has. */
  readonly appId: AppId | '*';
  readonly summary: string;
  readonly request?: z.ZodType;
  /**
   * A body `request` accepts, where the schema's refinements are more than
   * its JSON Schema says (an amount's range). The OpenAPI document shows it;
   * the generated hostile-input and tenancy tests start from it.
   */
  readonly example?: unknown;
  /** Answers by status code. */
  readonly responses: Readonly<Record<number, { description: string; schema?: z.ZodType }>>;
  /** The operation takes an `Idempotency-Key` header. */
  readonly idempotent?: boolean;
  /**
   * Who may call it: `'anyone'`, signed in or not (browsing, sign-in, guest
   * carts, the provider's webhook); otherwise a signed-in caller whom the
   * service checks further (role, shop, company, owner). The generated
   * tenancy test leaves `'anyone'` operations out.
   */
  readonly access?: 'anyone';
}

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

/** Every operation of the platform; bounded contexts append theirs. */
export const Operations: readonly ApiOperation[] = [...ServiceOperations, ...IdentityOperations, ...ShopOperations, ...CatalogOperations, ...InventoryOperations, ...MarketingOperations, ...CartOperations, ...PaymentOperations, ...OrderOperations];

export { Problem };
