import { z } from 'zod';
import { Money } from './money';

/**
 * The admin console's platform summary: one answer from users, companies,
 * shops, products and orders. Each service counts its own rows
 * (`GET /admin/stats`, platform admins only); web's gateway asks them all
 * at once and puts the answers together.
 */
export const StatusCounts = z.record(z.string(), z.number().int().min(0)).describe('Rows per status');

export const IdentityStats = z.object({ users: z.number().int().min(0), companies: StatusCounts }).strict();
export const ShopStats = z.object({ shops: StatusCounts }).strict();
export const CatalogStats = z.object({ products: StatusCounts }).strict();
export const OrderStats = z
  .object({
    orders: StatusCounts,
    /** orders placed since midnight UTC */
    today: z.number().int().min(0),
    /** what paid orders came to, per currency */
    paidTotal: z.array(Money),
  })
  .strict();

export const DashboardSummary = z
  .object({
    users: z.number().int().min(0),
    companies: StatusCounts,
    shops: StatusCounts,
    products: StatusCounts,
    orders: OrderStats,
    generatedAt: z.iso.datetime(),
  })
  .strict();
export type DashboardSummary = z.infer<typeof DashboardSummary>;
