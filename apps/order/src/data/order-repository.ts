import type { Transaction } from '@emporium/kit';
import type { AppliedCoupon, AppliedReduction, CarrierCode, Order, PaymentMethod, PaymentStatus, PriceSource, Quote, QuoteMember, ReturnAddress, ReturnLine, ReturnStatus, SubOrder, SubOrderRefund, SubOrderReturn, SubOrderStatus } from '@emporium/contracts';
import { camelRow, moneyOf, notifyChange, type CamelRow, type Database } from '@emporium/kit';

/** The channel an order's row changes are announced on (payment page, paid, cancelled), with the order id. */
export const ORDER_CHANGED = 'order_changed';

interface OrderColumns {
  id: string;
  buyer_user_id: string;
  company_id: string | null;
  status: Order['status'];
  currency: string;
  subtotal: string;
  shipping: string;
  discount: string;
  total: string;
  coupons: AppliedCoupon[];
  reductions: AppliedReduction[];
  member: QuoteMember | null;
  payment_method: PaymentMethod;
  payment_id: string | null;
  payment_status: PaymentStatus | null;
  payment_url: string | null;
  cancel_reason: string | null;
  from_cart: boolean;
  shipping_address: Order['shippingAddress'];
  created_at: Date;
}
interface SubOrderColumns {
  id: string;
  order_id: string;
  shop_id: string;
  status: SubOrderStatus;
  subtotal: string;
  shipping: string;
  discount: string;
  platform_discount: string;
  total: string;
  commission_bps: number;
  carrier: string | null;
  tracking_number: string | null;
  shipment_id: string | null;
  delivered_at: Date | null;
  auto_complete_at: Date | null;
  returnable_until: Date | null;
  group_buy: { campaignId: string; groupId: string } | null;
  created_at: Date;
}

interface RefundColumns {
  id: string;
  sub_order_id: string;
  amount: string;
  reason: string;
  status: SubOrderRefund['status'];
  prior_status: SubOrderStatus;
  note: string | null;
  /** null: the platform started it (a group buy that did not form) */
  requested_by: string | null;
  requested_at: Date;
  decided_at: Date | null;
  refunded_at: Date | null;
  lines: { skuId: string; quantity: number }[] | null;
  return_id: string | null;
}

interface ReturnColumns {
  id: string;
  sub_order_id: string;
  status: ReturnStatus;
  reason: string;
  lines: ReturnLine[];
  amount: string;
  return_address: ReturnAddress | null;
  shipment_id: string | null;
  carrier: CarrierCode | null;
  tracking_number: string | null;
  note: string | null;
  restocked: ReturnLine[] | null;
  refund_id: string;
  requested_by: string;
  requested_at: Date;
}
type ReturnTimelineColumns = { return_id: string; status: ReturnStatus; by_whom: 'buyer' | 'shop' | 'carrier' | 'platform'; note: string | null; at: Date };
export type ReturnRecord = CamelRow<ReturnColumns>;

type OrderRecord = CamelRow<OrderColumns>;
export type SubOrderRecord = CamelRow<SubOrderColumns>;
export type RefundRecord = CamelRow<RefundColumns>;

/** A refund as the API shows it. */
export function refundView(r: RefundRecord, currency: string): SubOrderRefund {
  return {
    id: r.id,
    amount: moneyOf(r.amount, currency),
    reason: r.reason,
    status: r.status,
    note: r.note,
    requestedAt: r.requestedAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    refundedAt: r.refundedAt?.toISOString() ?? null,
    lines: r.lines ?? null,
    returnId: r.returnId ?? null,
  };
}

/** A return as the API shows it, with its timeline. */
export function returnView(r: ReturnRecord, timeline: CamelRow<ReturnTimelineColumns>[], sub: { orderId: string; shopId: string }, currency: string): SubOrderReturn {
  return {
    id: r.id,
    orderId: sub.orderId,
    subOrderId: r.subOrderId,
    shopId: sub.shopId,
    status: r.status,
    reason: r.reason,
    lines: r.lines,
    amount: moneyOf(r.amount, currency),
    returnAddress: r.returnAddress,
    shipment: r.shipmentId && r.carrier && r.trackingNumber ? { shipmentId: r.shipmentId, carrier: r.carrier, trackingNumber: r.trackingNumber } : null,
    note: r.note,
    restocked: r.restocked,
    refundId: r.refundId,
    timeline: timeline.filter((e) => e.returnId === r.id).map((e) => ({ status: e.status, at: e.at.toISOString(), by: e.byWhom, note: e.note })),
    requestedAt: r.requestedAt.toISOString(),
  };
}

type LineColumns = { sku_id: string; product_id: string; quantity: number; unit_price: string; line_total: string; discount: string; price_source: PriceSource };
type TimelineColumns = { status: SubOrderStatus; note: string | null; at: Date };

/** A sub-order as the API shows it, from its row and its lines, timeline and refunds. */
function subOrderOf(
  row: SubOrderRecord,
  lines: CamelRow<LineColumns>[],
  timeline: CamelRow<TimelineColumns>[],
  refunds: RefundRecord[],
  returns: { rows: ReturnRecord[]; timeline: CamelRow<ReturnTimelineColumns>[] },
  currency: string,
): SubOrder {
  const m = (amount: string | number) => moneyOf(amount, currency);
  return {
    id: row.id,
    orderId: row.orderId,
    shopId: row.shopId,
    status: row.status,
    lines: lines.map((l) => ({ skuId: l.skuId, productId: l.productId, quantity: l.quantity, unitPrice: m(l.unitPrice), lineTotal: m(l.lineTotal), priceSource: l.priceSource, discount: m(l.discount) })),
    subtotal: m(row.subtotal),
    shipping: m(row.shipping),
    discount: m(row.discount),
    total: m(row.total),
    platformDiscount: m(row.platformDiscount),
    commissionBps: row.commissionBps,
    shipment: row.carrier && row.trackingNumber ? { carrier: row.carrier, trackingNumber: row.trackingNumber } : null,
    deliveredAt: row.deliveredAt ? row.deliveredAt.toISOString() : null,
    autoCompleteAt: row.autoCompleteAt && (row.status === 'SHIPPED' || row.status === 'DELIVERED') ? row.autoCompleteAt.toISOString() : null,
    groupBuy: row.groupBuy ?? null,
    timeline: timeline.map((e) => ({ status: e.status, note: e.note, at: e.at.toISOString() })),
    refunds: refunds.map((r) => refundView(r, currency)),
    refunded: m(refunds.filter((r) => r.status === 'refunded').reduce((a, r) => a + Number(r.amount), 0)),
    returns: [...returns.rows].sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime()).map((r) => returnView(r, returns.timeline, row, currency)),
    returnableUntil: row.returnableUntil && (row.status === 'DELIVERED' || row.status === 'COMPLETED') ? row.returnableUntil.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * A row of `row_to_json`, as node-postgres would have given it: keys in camelCase, timestamps
 * (`at`, `*_at`, `*_until`) as Dates. bigint columns come as JSON numbers, which moneyOf takes as they are.
 */
function jsonRow<T extends object>(json: Record<string, unknown>): CamelRow<T> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) row[k] = typeof v === 'string' && (k === 'at' || k.endsWith('_at') || k.endsWith('_until')) ? new Date(v) : v;
  return camelRow(row) as CamelRow<T>;
}

/** A sub-order completes on its own when its confirmation period is over and no return of it is open. */
const DUE_FOR_AUTO_CONFIRM = `status IN ('SHIPPED', 'DELIVERED') AND auto_complete_at IS NOT NULL AND auto_complete_at < now()
  AND NOT EXISTS (SELECT 1 FROM sub_order_returns x WHERE x.sub_order_id = s.id AND x.status IN ('requested', 'approved', 'shipped_back', 'delivered_to_shop', 'received'))`;

export class OrderRepository {
  constructor(private readonly db: Database) {}


  async commissionOf(shopIds: string[], fallback: number): Promise<Map<string, number>> {
    const rows = shopIds.length ? await this.db.select<{ shop_id: string; commission_bps: number }>('SELECT * FROM shop_commissions WHERE shop_id IN (:shopIds)', { shopIds }) : [];
    const known = new Map(rows.map((r) => [r.shopId, r.commissionBps]));
    return new Map(shopIds.map((id) => [id, known.get(id) ?? fallback]));
  }

  async setCommission(shopId: string, bps: number, t: Transaction): Promise<void> {
    await this.db.query('INSERT INTO shop_commissions (shop_id, commission_bps) VALUES (:shopId, :bps) ON CONFLICT (shop_id) DO UPDATE SET commission_bps = EXCLUDED.commission_bps, updated_at = now()', { shopId, bps }, t);
  }

  /** The parent order and one sub-order per shop of the quote; false when the order exists already. */
  async insert(
    o: {
      id: string;
      buyerUserId: string;
      companyId: string | null;
      method: PaymentMethod;
      fromCart: boolean;
      quote: Quote;
      subOrderIds: Map<string, string>;
      commissions: Map<string, number>;
      shippingAddress: Order['shippingAddress'];
      /** the group a group buy's (one) sub-order took a seat in */
      groupBuy?: { campaignId: string; groupId: string } | undefined;
    },
    t: Transaction,
  ): Promise<boolean> {
    const inserted = await this.db.select<{ id: string }>(
      `INSERT INTO orders (id, buyer_user_id, company_id, status, currency, subtotal, shipping, discount, total, coupons, reductions, member, payment_method, from_cart, shipping_address)
       VALUES (:id, :buyerUserId, :companyId, 'pending_payment', :currency, :subtotal, :shipping, :discount, :total, :coupons, :reductions, :member, :method, :fromCart, :address) ON CONFLICT (id) DO NOTHING RETURNING id`,
      {
        id: o.id,
        buyerUserId: o.buyerUserId,
        companyId: o.companyId,
        currency: o.quote.currency,
        subtotal: o.quote.subtotal.amount,
        shipping: o.quote.shipping.amount,
        discount: o.quote.discount.amount,
        total: o.quote.total.amount,
        coupons: JSON.stringify(o.quote.coupons),
        reductions: JSON.stringify(o.quote.reductions),
        member: o.quote.member ? JSON.stringify(o.quote.member) : null,
        method: o.method,
        fromCart: o.fromCart,
        address: o.shippingAddress ? JSON.stringify(o.shippingAddress) : null,
      },
      t,
    );
    if (inserted.length === 0) return false;
    for (const shop of o.quote.shops) {
      const subOrderId = o.subOrderIds.get(shop.shopId)!;
      await this.db.query(
        `INSERT INTO sub_orders (id, order_id, shop_id, status, subtotal, shipping, discount, platform_discount, shipping_waived, total, commission_bps, group_buy)
         VALUES (:id, :orderId, :shopId, 'PENDING_PAYMENT', :subtotal, :shipping, :discount, :platformDiscount, :shippingWaived, :total, :bps, :groupBuy::jsonb)`,
        {
          id: subOrderId,
          orderId: o.id,
          shopId: shop.shopId,
          subtotal: shop.subtotal.amount,
          shipping: shop.shipping.amount,
          discount: shop.discount.amount,
          platformDiscount: shop.platformDiscount.amount,
          shippingWaived: shop.shippingWaived?.amount ?? 0,
          total: shop.total.amount,
          bps: o.commissions.get(shop.shopId),
          groupBuy: o.groupBuy ? JSON.stringify(o.groupBuy) : null,
        },
        t,
      );
      await this.timeline(subOrderId, 'PENDING_PAYMENT', null, t);
      for (const l of shop.lines) {
        await this.db.query(`INSERT INTO order_lines (sub_order_id, sku_id, product_id, quantity, unit_price, line_total, discount, price_source)
           VALUES (:subOrderId, :skuId, :productId, :quantity, :unitPrice, :lineTotal, :discount, :priceSource)`, { subOrderId, skuId: l.skuId, productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice.amount, lineTotal: l.lineTotal.amount, discount: l.discount.amount, priceSource: l.priceSource }, t);
      }
    }
    return true;
  }

  async timeline(subOrderId: string, status: SubOrderStatus, note: string | null, t: Transaction): Promise<void> {
    await this.db.query('INSERT INTO sub_order_timeline (sub_order_id, status, note) VALUES (:subOrderId, :status, :note)', { subOrderId, status, note }, t);
  }

  async orderRow(id: string, t?: Transaction, lock = false): Promise<OrderRecord | undefined> {
    const [r] = await this.db.select<OrderColumns>(`SELECT * FROM orders WHERE id = :id${lock ? ' FOR UPDATE' : ''}`, { id }, t);
    return r;
  }

  async subOrderRows(orderId: string, t?: Transaction, lock = false): Promise<SubOrderRecord[]> {
    return this.db.select<SubOrderColumns>(`SELECT * FROM sub_orders WHERE order_id = :orderId ORDER BY created_at, id${lock ? ' FOR UPDATE' : ''}`, { orderId }, t);
  }

  async subOrderRow(id: string, t?: Transaction, lock = false): Promise<SubOrderRecord | undefined> {
    const [r] = await this.db.select<SubOrderColumns>(`SELECT * FROM sub_orders WHERE id = :id${lock ? ' FOR UPDATE' : ''}`, { id }, t);
    return r;
  }

  /**
   * Rows of `table` matching `where`, last changed `olderThanSeconds` ago or more (by `since`), not
   * looked at (`checked`) in the last `everySeconds`: those looked at longest ago first, marked
   * looked at now, `returning` their columns. The three result sweeps share it.
   */
  private takeChecks<R extends object>(
    q: { table: 'orders' | 'sub_orders' | 'sub_order_refunds'; where: string; since: string; checked: string; returning: string },
    olderThanSeconds: number,
    everySeconds: number,
    limit: number,
  ): Promise<CamelRow<R>[]> {
    return this.db.select<R>(
      `UPDATE ${q.table} SET ${q.checked} = now() WHERE id IN (
         SELECT id FROM ${q.table}
          WHERE ${q.where}
            AND ${q.since} < now() - make_interval(secs => :olderThanSeconds)
            AND (${q.checked} IS NULL OR ${q.checked} < now() - make_interval(secs => :everySeconds))
          ORDER BY ${q.checked} NULLS FIRST, ${q.since} LIMIT :limit
          FOR UPDATE SKIP LOCKED)
       RETURNING ${q.returning}`,
      { olderThanSeconds, everySeconds, limit },
    );
  }

  /** Orders still waiting for their payment's result (see `takeChecks`). */
  async takePaymentChecks(olderThanSeconds: number, everySeconds: number, limit: number): Promise<{ id: string; paymentId: string }[]> {
    return this.takeChecks<{ id: string; payment_id: string }>(
      { table: 'orders', where: `status = 'pending_payment' AND payment_id IS NOT NULL`, since: 'updated_at', checked: 'payment_checked_at', returning: 'id, payment_id' },
      olderThanSeconds,
      everySeconds,
      limit,
    );
  }

  /** Approved refunds with no result yet, by the time of their approval (see `takeChecks`). */
  async takeRefundChecks(olderThanSeconds: number, everySeconds: number, limit: number): Promise<string[]> {
    const rows = await this.takeChecks<{ id: string }>(
      { table: 'sub_order_refunds', where: `status = 'approved'`, since: 'decided_at', checked: 'checked_at', returning: 'id' },
      olderThanSeconds,
      everySeconds,
      limit,
    );
    return rows.map((r) => r.id);
  }

  async setOrder(id: string, fields: { status?: Order['status']; paymentId?: string; paymentStatus?: PaymentStatus; paymentUrl?: string | null; cancelReason?: string }, t?: Transaction): Promise<void> {
    const sets = Object.entries({ status: fields.status, payment_id: fields.paymentId, payment_status: fields.paymentStatus, payment_url: fields.paymentUrl, cancel_reason: fields.cancelReason })
      .filter(([, v]) => v !== undefined)
      .map(([k]) => `${k} = :${k}`);
    if (!sets.length) return;
    await this.db.query(`UPDATE orders SET ${sets.join(', ')}, updated_at = now() WHERE id = :id`, { id, status: fields.status, payment_id: fields.paymentId, payment_status: fields.paymentStatus, payment_url: fields.paymentUrl, cancel_reason: fields.cancelReason }, t);
    // a checkout waiting for its payment page, or a buyer's cancel waiting for its end, wakes (at commit)
    await notifyChange(this.db, ORDER_CHANGED, id, t);
  }

  async setSubOrder(id: string, status: SubOrderStatus, t: Transaction, shipment?: { carrier: string; trackingNumber: string }): Promise<void> {
    const [row] = await this.db.select<{ order_id: string }>(
      `UPDATE sub_orders SET status = :status, updated_at = now()${shipment ? ', carrier = :carrier, tracking_number = :trackingNumber, shipped_at = now()' : ''} WHERE id = :id RETURNING order_id`,
      { id, status, ...shipment },
      t,
    );
    // a buyer waiting on the order (GET with Prefer: wait) wakes too
    if (row) await notifyChange(this.db, ORDER_CHANGED, row.orderId, t);
  }

  async ordersOf(buyerUserId: string): Promise<string[]> {
    return (await this.db.select<{ id: string }>('SELECT id FROM orders WHERE buyer_user_id = :buyerUserId ORDER BY created_at DESC LIMIT 100', { buyerUserId })).map((r) => r.id);
  }

  async subOrdersOfShop(shopId: string, status?: string, t?: Transaction): Promise<SubOrderRecord[]> {
    const only = status ? 'AND status = :status' : '';
    return this.db.select<SubOrderColumns>(`SELECT * FROM sub_orders WHERE shop_id = :shopId ${only} ORDER BY created_at DESC LIMIT 100`, { shopId, status }, t);
  }

  /** A shop's sub-orders since midnight in the time zone: how many, how many paid, and paid totals less refunds per currency. */
  async shopToday(shopId: string, timeZone: string): Promise<{ orders: number; paid: number; sales: { currency: string; amount: number }[] }> {
    const rows = await this.db.select<{ currency: string; orders: string; paid: string; sales: string }>(
      `SELECT o.currency,
              count(*) AS orders,
              count(*) FILTER (WHERE s.status NOT IN ('PENDING_PAYMENT', 'CANCELLED')) AS paid,
              coalesce(sum(s.total - coalesce(r.refunded, 0)) FILTER (WHERE s.status NOT IN ('PENDING_PAYMENT', 'CANCELLED')), 0) AS sales
         FROM sub_orders s
         JOIN orders o ON o.id = s.order_id
         LEFT JOIN (SELECT sub_order_id, sum(amount) AS refunded FROM sub_order_refunds WHERE status = 'refunded' GROUP BY sub_order_id) r ON r.sub_order_id = s.id
        WHERE s.shop_id = :shopId AND s.created_at >= (date_trunc('day', now() AT TIME ZONE :timeZone) AT TIME ZONE :timeZone)
        GROUP BY o.currency ORDER BY o.currency`,
      { shopId, timeZone },
    );
    return {
      orders: rows.reduce((n, r) => n + Number(r.orders), 0),
      paid: rows.reduce((n, r) => n + Number(r.paid), 0),
      sales: rows.map((r) => moneyOf(r.sales, r.currency)),
    };
  }

  async shopStatusCounts(shopId: string): Promise<{ status: string; n: string }[]> {
    return this.db.select<{ status: string; n: string }>('SELECT status, count(*) AS n FROM sub_orders WHERE shop_id = :shopId GROUP BY status', { shopId });
  }

  /** Delivered sub-orders (and those shipped before logistics) whose confirmation period is over. */
  async dueForAutoConfirm(limit: number, t: Transaction): Promise<SubOrderRecord[]> {
    return this.db.select<SubOrderColumns>(`SELECT * FROM sub_orders s WHERE ${DUE_FOR_AUTO_CONFIRM} ORDER BY auto_complete_at LIMIT :limit FOR UPDATE SKIP LOCKED`, { limit }, t);
  }

  /** Whether the sub-order is due still: asked again with it locked, since a return asked or a confirmation after the list was read changes that. */
  async stillDueForAutoConfirm(id: string, t: Transaction): Promise<boolean> {
    return (await this.db.select<{ id: string }>(`SELECT id FROM sub_orders s WHERE id = :id AND ${DUE_FOR_AUTO_CONFIRM}`, { id }, t)).length === 1;
  }

  /** A shipment was made of the sub-order: its first parcel is the one the order shows. */
  async setShipped(id: string, s: { shipmentId: string; carrier: string; trackingNumber: string }, t: Transaction): Promise<void> {
    await this.db.run('UPDATE sub_orders SET shipment_id = :shipmentId, carrier = :carrier, tracking_number = :trackingNumber, shipped_at = coalesce(shipped_at, now()) WHERE id = :id', { id, ...s }, t);
  }

  async setDelivered(id: string, deliveredAt: Date, autoCompleteAt: Date, t: Transaction): Promise<void> {
    await this.db.run('UPDATE sub_orders SET delivered_at = :deliveredAt, auto_complete_at = :autoCompleteAt WHERE id = :id', { id, deliveredAt, autoCompleteAt }, t);
  }

  /** An open refund of a sub-order goes back to where the sub-order is now when it is refused (or refunded in part). */
  async setOpenRefundsPrior(subOrderId: string, prior: SubOrderStatus, t: Transaction): Promise<void> {
    await this.db.run(`UPDATE sub_order_refunds SET prior_status = :prior WHERE sub_order_id = :subOrderId AND status IN ('requested', 'approved')`, { subOrderId, prior }, t);
  }

  /** A sub-order as the API shows it; `currency` saves reading its order again when the caller has it. */
  async subOrderView(row: SubOrderRecord, t?: Transaction, currency?: string): Promise<SubOrder> {
    currency ??= (await this.orderRow(row.orderId, t))!.currency.trim();
    const lines = await this.db.select<LineColumns>('SELECT * FROM order_lines WHERE sub_order_id = :id ORDER BY sku_id', { id: row.id }, t);
    const timeline = await this.db.select<TimelineColumns>('SELECT * FROM sub_order_timeline WHERE sub_order_id = :id ORDER BY id', { id: row.id }, t);
    const refunds = await this.refunds(row.id, t);
    return subOrderOf(row, lines, timeline, refunds, await this.returnsOf([row.id], t), currency);
  }

  async refunds(subOrderId: string, t?: Transaction): Promise<RefundRecord[]> {
    return this.db.select<RefundColumns>('SELECT * FROM sub_order_refunds WHERE sub_order_id = :subOrderId ORDER BY requested_at, id', { subOrderId }, t);
  }

  async refund(id: string, t?: Transaction, lock = false): Promise<RefundRecord | undefined> {
    const [r] = await this.db.select<RefundColumns>(`SELECT * FROM sub_order_refunds WHERE id = :id${lock ? ' FOR UPDATE' : ''}`, { id }, t);
    return r;
  }

  async insertRefund(
    r: { id: string; subOrderId: string; amount: number; reason: string; priorStatus: SubOrderStatus; requestedBy: string | null; status?: 'requested' | 'approved'; lines?: { skuId: string; quantity: number }[] | null; returnId?: string },
    t: Transaction,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO sub_order_refunds (id, sub_order_id, amount, reason, status, prior_status, requested_by, decided_at, lines, return_id)
       VALUES (:id, :subOrderId, :amount, :reason, :status, :priorStatus, :requestedBy, CASE WHEN :status = 'approved' THEN now() END, :lines::jsonb, :returnId)
       ON CONFLICT (id) DO NOTHING`,
      { ...r, status: r.status ?? 'requested', lines: r.lines ? JSON.stringify(r.lines) : null, returnId: r.returnId ?? null },
      t,
    );
  }

  async returnsOf(subOrderIds: readonly string[], t?: Transaction): Promise<{ rows: ReturnRecord[]; timeline: CamelRow<ReturnTimelineColumns>[] }> {
    if (!subOrderIds.length) return { rows: [], timeline: [] };
    const rows = await this.db.select<ReturnColumns>('SELECT * FROM sub_order_returns WHERE sub_order_id IN (:ids) ORDER BY requested_at DESC, id', { ids: subOrderIds }, t);
    const timeline = rows.length ? await this.db.select<ReturnTimelineColumns>('SELECT * FROM return_timeline WHERE return_id IN (:ids) ORDER BY id', { ids: rows.map((r) => r.id) }, t) : [];
    return { rows, timeline };
  }

  async returnRow(id: string, t?: Transaction, lock = false): Promise<ReturnRecord | undefined> {
    const [r] = await this.db.select<ReturnColumns>(`SELECT * FROM sub_order_returns WHERE id = :id${lock ? ' FOR UPDATE' : ''}`, { id }, t);
    return r;
  }

  /** The shop's returns, newest first, with their sub-orders' order ids. */
  async returnsOfShop(shopId: string, status: ReturnStatus | undefined, t?: Transaction): Promise<(ReturnRecord & { orderId: string })[]> {
    return this.db.select<ReturnColumns & { order_id: string }>(
      `SELECT x.*, s.order_id FROM sub_order_returns x JOIN sub_orders s ON s.id = x.sub_order_id WHERE s.shop_id = :shopId ${status ? 'AND x.status = :status' : ''} ORDER BY x.requested_at DESC, x.id LIMIT 200`,
      { shopId, status: status ?? null },
      t,
    );
  }

  async returnTimeline(ids: readonly string[], t?: Transaction): Promise<CamelRow<ReturnTimelineColumns>[]> {
    if (!ids.length) return [];
    return this.db.select<ReturnTimelineColumns>('SELECT * FROM return_timeline WHERE return_id IN (:ids) ORDER BY id', { ids }, t);
  }

  async insertReturn(r: { id: string; subOrderId: string; reason: string; lines: ReturnLine[]; amount: number; refundId: string; requestedBy: string }, t: Transaction): Promise<boolean> {
    return (
      (await this.db.run(
        `INSERT INTO sub_order_returns (id, sub_order_id, status, reason, lines, amount, refund_id, requested_by) VALUES (:id, :subOrderId, 'requested', :reason, :lines::jsonb, :amount, :refundId, :requestedBy) ON CONFLICT DO NOTHING`,
        { ...r, lines: JSON.stringify(r.lines) },
        t,
      )) > 0
    );
  }

  /** Moves a return, with what the step brings, and writes the step to its timeline. */
  async moveReturn(
    id: string,
    status: ReturnStatus,
    by: 'buyer' | 'shop' | 'carrier' | 'platform',
    note: string | null,
    t: Transaction,
    set: { returnAddress?: ReturnAddress; shipment?: { shipmentId: string; carrier: string; trackingNumber: string }; restocked?: ReturnLine[]; note?: string } = {},
  ): Promise<void> {
    await this.db.run(
      `UPDATE sub_order_returns SET status = :status, updated_at = now()
         ${set.returnAddress ? ', return_address = :address::jsonb' : ''}
         ${set.shipment ? ', shipment_id = :shipmentId, carrier = :carrier, tracking_number = :trackingNumber' : ''}
         ${set.restocked ? ', restocked = :restocked::jsonb' : ''}
         ${set.note !== undefined ? ', note = :setNote' : ''}
       WHERE id = :id`,
      { id, status, address: set.returnAddress ? JSON.stringify(set.returnAddress) : null, ...(set.shipment ?? {}), restocked: set.restocked ? JSON.stringify(set.restocked) : null, setNote: set.note ?? null },
      t,
    );
    await this.db.run('INSERT INTO return_timeline (return_id, status, by_whom, note) VALUES (:id, :status, :by, :note)', { id, status, by, note }, t);
  }

  /** Whoever waits on the order (a long poll, the order page) hears that it changed. */
  async changed(orderId: string, t: Transaction): Promise<void> {
    await notifyChange(this.db, ORDER_CHANGED, orderId, t);
  }

  async policy(shopId: string, t?: Transaction): Promise<number | undefined> {
    const [row] = await this.db.select<{ return_window_days: number }>('SELECT return_window_days FROM after_sales_policies WHERE shop_id = :shopId', { shopId }, t);
    return row?.returnWindowDays;
  }

  async putPolicy(shopId: string, days: number): Promise<void> {
    await this.db.run('INSERT INTO after_sales_policies (shop_id, return_window_days) VALUES (:shopId, :days) ON CONFLICT (shop_id) DO UPDATE SET return_window_days = :days, updated_at = now()', { shopId, days });
  }

  /** The day a sub-order's return window closes, fixed once (on delivery, or on completion without one). */
  async setReturnableUntil(id: string, until: Date, t: Transaction): Promise<void> {
    await this.db.run('UPDATE sub_orders SET returnable_until = coalesce(returnable_until, :until) WHERE id = :id', { id, until }, t);
  }

  /** A sub-order's lines: units, what they cost and what the discounts took off them. */
  async lines(subOrderId: string, t?: Transaction): Promise<{ skuId: string; productId: string; quantity: number; lineTotal: number; discount: number }[]> {
    const rows = await this.db.select<LineColumns>('SELECT * FROM order_lines WHERE sub_order_id = :subOrderId ORDER BY sku_id', { subOrderId }, t);
    return rows.map((l) => ({ skuId: l.skuId, productId: l.productId, quantity: l.quantity, lineTotal: Number(l.lineTotal), discount: Number(l.discount) }));
  }

  /** The sub-orders of these orders that wait for the group `groupId`, locked. */
  /** Sub-orders of these orders that took a seat in this group and still wait for it, or whose refund for it was asked (no lock). */
  async ofGroup(orderIds: readonly string[], groupId: string): Promise<SubOrderRecord[]> {
    return this.db.select<SubOrderColumns>(
      `SELECT * FROM sub_orders WHERE order_id IN (:orderIds) AND status IN ('AWAITING_GROUP', 'REFUND_REQUESTED') AND group_buy->>'groupId' = :groupId ORDER BY id`,
      { orderIds: [...orderIds], groupId },
    );
  }

  /** Sub-orders waiting for their group (see `takeChecks`): their orders, once each. */
  async takeGroupChecks(olderThanSeconds: number, everySeconds: number, limit: number): Promise<string[]> {
    const rows = await this.takeChecks<{ order_id: string }>(
      { table: 'sub_orders', where: `status = 'AWAITING_GROUP'`, since: 'updated_at', checked: 'group_checked_at', returning: 'order_id' },
      olderThanSeconds,
      everySeconds,
      limit,
    );
    return [...new Set(rows.map((r) => r.orderId))];
  }

  async awaitingGroup(orderIds: readonly string[], groupId: string, t: Transaction): Promise<SubOrderRecord[]> {
    return this.db.select<SubOrderColumns>(
      `SELECT * FROM sub_orders WHERE order_id IN (:orderIds) AND status = 'AWAITING_GROUP' AND group_buy->>'groupId' = :groupId ORDER BY id FOR UPDATE`,
      { orderIds: [...orderIds], groupId },
      t,
    );
  }

  async setRefund(id: string, status: SubOrderRefund['status'], note: string | null, t: Transaction): Promise<void> {
    await this.db.query(`UPDATE sub_order_refunds SET status = :status, note = COALESCE(:note, note),
         decided_at = CASE WHEN :status IN ('approved', 'rejected') THEN now() ELSE decided_at END,
         refunded_at = CASE WHEN :status = 'refunded' THEN now() ELSE refunded_at END
       WHERE id = :id`, { id, status, note }, t);
  }

  /**
   * An order as the API shows it, read by one statement (the order, its sub-orders with their lines,
   * timelines and refunds as JSON): one statement sees one snapshot, so the view is never half of a
   * change, without a transaction of seven statements around it (a checkout's long poll reads its
   * order about six times).
   */
  async orderView(id: string, t?: Transaction): Promise<Order | undefined> {
    const [found] = await this.db.query<{ o: Record<string, unknown>; subs: { row: Record<string, unknown>; lines: Record<string, unknown>[]; timeline: Record<string, unknown>[]; refunds: Record<string, unknown>[]; returns: Record<string, unknown>[]; returnTimeline: Record<string, unknown>[] }[] }>(
      `SELECT row_to_json(o) AS o,
         COALESCE((SELECT json_agg(json_build_object(
             'row', row_to_json(s),
             'lines', COALESCE((SELECT json_agg(l ORDER BY l.sku_id) FROM order_lines l WHERE l.sub_order_id = s.id), '[]'),
             'timeline', COALESCE((SELECT json_agg(e ORDER BY e.id) FROM sub_order_timeline e WHERE e.sub_order_id = s.id), '[]'),
             'refunds', COALESCE((SELECT json_agg(r ORDER BY r.requested_at, r.id) FROM sub_order_refunds r WHERE r.sub_order_id = s.id), '[]'),
             'returns', COALESCE((SELECT json_agg(x ORDER BY x.requested_at DESC, x.id) FROM sub_order_returns x WHERE x.sub_order_id = s.id), '[]'),
             'returnTimeline', COALESCE((SELECT json_agg(e ORDER BY e.id) FROM return_timeline e JOIN sub_order_returns x ON x.id = e.return_id WHERE x.sub_order_id = s.id), '[]')
           ) ORDER BY s.created_at, s.id) FROM sub_orders s WHERE s.order_id = o.id), '[]') AS subs
       FROM orders o WHERE o.id = :id`,
      { id },
      t,
    );
    if (!found) return undefined;
    const o = jsonRow<OrderColumns>(found.o);
    const currency = o.currency.trim();
    const m = (amount: string) => moneyOf(amount, currency);
    return {
      id: o.id,
      buyerUserId: o.buyerUserId,
      status: o.status,
      subtotal: m(o.subtotal),
      shipping: m(o.shipping),
      discount: m(o.discount),
      total: m(o.total),
      reductions: o.reductions,
      coupons: o.coupons,
      member: o.member,
      payment: o.paymentId ? { id: o.paymentId, method: o.paymentMethod, status: o.paymentStatus, hostedUrl: o.status === 'pending_payment' ? o.paymentUrl : null } : null,
      cancelReason: o.cancelReason,
      shippingAddress: o.shippingAddress,
      subOrders: found.subs.map((sub) =>
        subOrderOf(
          jsonRow<SubOrderColumns>(sub.row),
          sub.lines.map((l) => jsonRow<LineColumns>(l)),
          sub.timeline.map((e) => jsonRow<TimelineColumns>(e)),
          sub.refunds.map((r) => jsonRow<RefundColumns>(r)),
          { rows: sub.returns.map((r) => jsonRow<ReturnColumns>(r)), timeline: sub.returnTimeline.map((e) => jsonRow<ReturnTimelineColumns>(e)) },
          currency,
        ),
      ),
      createdAt: o.createdAt.toISOString(),
    };
  }
}
