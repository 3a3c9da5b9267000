import { Carriers, CarrierCode, TRANSACTIONAL_CATEGORIES, cancelReasonText, type PlatformEvents } from '@emporium/contracts';
import { uuidFromKey, type EventBus, type Logger, type Transaction } from '@emporium/kit';
import type { NewMessage, NotificationRepository } from '../data/notification-repository';
import { TEMPLATES, shortOrder, type TemplateKey } from './templates';

type To = { user: string } | { shop: string } | 'platform';

/** A carrier by its name in the reader's language when it is one of the list (older events name it as the shop typed it). */
const carrierName = (code: string) => {
  const known = CarrierCode.safeParse(code);
  return known.success ? Carriers[known.data].name : code;
};
/** Failed attempts the buyer hears of, one message each; past that, the shop's exception handling takes over. */
const FAILED_ATTEMPTS_TOLD = 3;

/** One message to write for an event: to whom, which template, with what, leading where. */
function message(eventId: string, to: To, template: TemplateKey, params: Record<string, unknown>, link: string | null): NewMessage {
  const inbox = to === 'platform' ? 'platform' : 'user' in to ? `user:${to.user}` : `shop:${to.shop}`;
  const category = TEMPLATES[template].category;
  return {
    id: uuidFromKey('notification', eventId, inbox, template),
    inbox,
    category,
    template,
    params,
    link,
    source: eventId,
    userId: to !== 'platform' && 'user' in to ? to.user : null,
    transactional: TRANSACTIONAL_CATEGORIES.includes(category),
  };
}

/**
 * Turns what happens on the platform into messages for the people it
 * concerns: the buyer, the shop's staff (its inbox), a company's admin, the
 * platform's admins. Each handler runs once per event (the kit marks the
 * event in the same transaction), and each message is named by the event,
 * its inbox and its template, so nothing is written twice.
 */
export function subscribeDeliveries(events: EventBus<PlatformEvents>, repo: NotificationRepository, logger: Logger): void {
  const deliver = (t: Transaction, messages: NewMessage[]) => repo.deliver(messages, t);
  /** the buyer of an order this service heard of; an order paid before it existed is not known, and the message is left out */
  const buyer = async (orderId: string, t: Transaction, what: string): Promise<string | null> => {
    const b = await repo.buyerOf(orderId, t);
    if (!b) logger.warn({ orderId, what }, 'the buyer of this order is not known here (paid before notification ran?): no message to them');
    return b;
  };

  events.subscribe('order.paid', async ({ id, data, transaction: t }) => {
    await repo.rememberOrder(data.orderId, data.buyerUserId, t);
    const order = shortOrder(data.orderId);
    await deliver(t, [
      message(id, { user: data.buyerUserId }, 'order.paid', { order, total: data.total }, `/orders/${data.orderId}`),
      ...data.subOrders.map((s) => message(id, { shop: s.shopId }, 'shop.order-paid', { order, total: s.total }, '/seller/orders')),
    ]);
  });
  events.subscribe('order.cancelled', async ({ id, data, transaction: t }) => {
    await repo.rememberOrder(data.orderId, data.buyerUserId, t);
    await deliver(t, [message(id, { user: data.buyerUserId }, 'order.cancelled', { order: shortOrder(data.orderId), reason: cancelReasonText(data.reason) }, `/orders/${data.orderId}`)]);
  });
  events.subscribe('sub-order.shipped', async ({ id, data, transaction: t }) => {
    const b = data.buyerUserId ?? (await buyer(data.orderId, t, 'shipped'));
    if (b) await deliver(t, [message(id, { user: b }, 'order.shipped', { order: shortOrder(data.orderId), carrier: carrierName(data.carrier), trackingNumber: data.trackingNumber }, `/orders/${data.orderId}`)]);
  });
  events.subscribe('sub-order.completed', async ({ id, data, transaction: t }) => {
    const b = data.buyerUserId ?? (await buyer(data.orderId, t, 'completed'));
    const order = shortOrder(data.orderId);
    await deliver(t, [
      ...(b ? [message(id, { user: b }, 'order.completed', { order }, `/orders/${data.orderId}`)] : []),
      message(id, { shop: data.shopId }, 'shop.sub-order-completed', { order, total: data.total }, '/seller/ledger'),
    ]);
  });
  events.subscribe('sub-order.refunded', async ({ id, data, transaction: t }) => {
    const b = data.buyerUserId ?? (await buyer(data.orderId, t, 'refunded'));
    const order = shortOrder(data.orderId);
    await deliver(t, [
      ...(b ? [message(id, { user: b }, 'order.refunded', { order, amount: data.amount, full: data.full }, `/orders/${data.orderId}`)] : []),
      message(id, { shop: data.shopId }, 'shop.sub-order-refunded', { order, amount: data.amount }, '/seller/orders'),
    ]);
  });
  events.subscribe('refund.requested', async ({ id, data, transaction: t }) => {
    await repo.rememberOrder(data.orderId, data.buyerUserId, t);
    await deliver(t, [message(id, { shop: data.shopId }, 'shop.refund-requested', { order: shortOrder(data.orderId), amount: data.amount, reason: data.reason }, '/seller/orders')]);
  });
  events.subscribe('refund.decided', async ({ id, data, transaction: t }) => {
    const order = shortOrder(data.orderId);
    await deliver(t, [
      data.decision === 'approved'
        ? message(id, { user: data.buyerUserId }, 'refund.approved', { order, amount: data.amount }, `/orders/${data.orderId}`)
        : message(id, { user: data.buyerUserId }, 'refund.rejected', { order, reason: data.reason ?? '' }, `/orders/${data.orderId}`),
    ]);
  });
  events.subscribe('payment.refund-failed', async ({ id, data, transaction: t }) => {
    await deliver(t, [message(id, 'platform', 'platform.refund-failed', { order: shortOrder(data.orderId), reason: data.reason }, null)]);
  });
  events.subscribe('group-buy.formed', async ({ id, data, transaction: t }) => {
    const out = [message(id, { shop: data.shopId }, 'shop.group-formed', { orders: data.orderIds.length }, '/seller/group-buys')];
    for (const orderId of data.orderIds) {
      const b = await buyer(orderId, t, 'group formed');
      if (b) out.push(message(`${id}:${orderId}`, { user: b }, 'group-buy.formed', { order: shortOrder(orderId) }, `/orders/${orderId}`));
    }
    await deliver(t, out);
  });
  events.subscribe('group-buy.failed', async ({ id, data, transaction: t }) => {
    const out: NewMessage[] = [];
    for (const orderId of data.orderIds) {
      const b = await buyer(orderId, t, 'group failed');
      if (b) out.push(message(`${id}:${orderId}`, { user: b }, 'group-buy.failed', { order: shortOrder(orderId) }, `/orders/${orderId}`));
    }
    await deliver(t, out);
  });
  events.subscribe('shop.applied', async ({ id, data, transaction: t }) => {
    await deliver(t, [message(id, 'platform', 'platform.shop-applied', { shopName: data.name }, '/admin/shops')]);
  });
  events.subscribe('shop.approved', async ({ id, data, transaction: t }) => {
    await deliver(t, [message(id, { user: data.ownerUserId }, 'account.shop-approved', { shopName: data.name }, '/seller')]);
  });
  events.subscribe('shop.rejected', async ({ id, data, transaction: t }) => {
    await deliver(t, [message(id, { user: data.ownerUserId }, 'account.shop-rejected', { reason: data.reason }, null)]);
  });
  events.subscribe('shop-staff.joined', async ({ id, data, transaction: t }) => {
    // the shop's staff hear it, by e-mail too, but not the one who joined
    await deliver(t, [{ ...message(id, { shop: data.shopId }, 'shop.staff-joined', { role: data.role }, '/seller/staff'), exceptUserId: data.userId }]);
  });
  events.subscribe('shop-staff.invited', async ({ id, data, transaction: t }) => {
    // the invitee may have no account: an e-mail to the address, in both languages (the shop's inbox knows whom it invited)
    await repo.addressEmail({ id: uuidFromKey('notification', id, data.email, 'staff.invited'), address: data.email, category: TEMPLATES['staff.invited'].category, template: 'staff.invited', params: { shopName: data.shopName }, link: '/seller' }, t);
  });
  events.subscribe('user-segments.changed', async ({ data, transaction: t }) => {
    const moved = await repo.putSegments(data.changes, new Date(data.computedAt), t);
    // who reads a broadcast to a tag changed with it: their inboxes (badges, long polls) hear of it
    if (moved.length > 0 && (await repo.liveTagBroadcasts(t))) await repo.changed(moved.map((u) => `user:${u}`), t);
  });
  events.subscribe('stock.low', async ({ id, data, transaction: t }) => {
    await deliver(t, [message(id, { shop: data.shopId }, 'shop.stock-low', { available: data.available, threshold: data.threshold }, '/seller/stock')]);
  });
  events.subscribe('company.registered', async ({ id, data, transaction: t }) => {
    await repo.rememberCompany(data.companyId, data.adminUserId, t);
    await deliver(t, [message(id, 'platform', 'platform.company-registered', { companyName: data.name }, '/admin/companies')]);
  });
  events.subscribe('company.approved', async ({ id, data, transaction: t }) => {
    const admin = await repo.adminOf(data.companyId, t);
    if (admin) await deliver(t, [message(id, { user: admin }, 'account.company-approved', { companyName: data.name }, '/account')]);
  });
  events.subscribe('company.rejected', async ({ id, data, transaction: t }) => {
    const admin = await repo.adminOf(data.companyId, t);
    if (admin) await deliver(t, [message(id, { user: admin }, 'account.company-rejected', { companyName: data.name, reason: data.reason }, null)]);
  });
  events.subscribe('member.level-changed', async ({ id, data, transaction: t }) => {
    await deliver(t, [message(id, { user: data.userId }, 'account.level-changed', { from: data.from, to: data.to }, '/account')]);
  });

  // logistics: the buyer hears of the last mile and of problems, the shop of problems and silence
  events.subscribe('sub-order.delivered', async ({ id, data, transaction: t }) => {
    await deliver(t, [message(id, { user: data.buyerUserId }, 'order.delivered', { order: shortOrder(data.orderId), autoCompleteAt: Date.parse(data.autoCompleteAt) }, `/orders/${data.orderId}`)]);
  });
  events.subscribe('parcel.status-changed', async ({ id, data, transaction: t }) => {
    if (data.purpose !== 'outbound') return;
    const params = { order: shortOrder(data.orderId), carrier: carrierName(data.carrier), trackingNumber: data.trackingNumber };
    const toBuyer = { user: data.buyerUserId };
    const link = `/orders/${data.orderId}`;
    switch (data.status) {
      case 'out_for_delivery':
        // out again after a failed attempt: the attempt's message said it would be
        if (data.attempts === 0) await deliver(t, [message(id, toBuyer, 'parcel.out-for-delivery', params, link)]);
        return;
      case 'failed_attempt':
        await deliver(t, [
          ...(data.attempts <= FAILED_ATTEMPTS_TOLD ? [message(id, toBuyer, 'parcel.failed-attempt', { ...params, attempts: data.attempts }, link)] : []),
          // the shop hears of the first failure, and again at the last attempt the buyer hears of: from there the shop sorts it out with them
          ...(data.attempts === 1 ? [message(id, { shop: data.shopId }, 'shop.parcel-failed-attempt', params, '/seller/orders')] : []),
          ...(data.attempts === FAILED_ATTEMPTS_TOLD ? [message(id, { shop: data.shopId }, 'shop.parcel-attempts', { ...params, attempts: data.attempts }, '/seller/orders')] : []),
        ]);
        return;
      case 'available_for_pickup':
        await deliver(t, [message(id, toBuyer, 'parcel.available-for-pickup', params, link)]);
        return;
      case 'exception': {
        const kind = data.exceptionKind ?? 'other';
        await deliver(t, [
          // the buyer who refused it knows; everyone else is told
          ...(kind === 'refused' ? [] : [message(id, toBuyer, 'parcel.exception', { ...params, kind }, link)]),
          ...(kind === 'delayed' ? [] : [message(id, { shop: data.shopId }, 'shop.parcel-exception', { ...params, kind }, '/seller/orders')]),
        ]);
        return;
      }
      default:
        return;
    }
  });
  events.subscribe('parcel.stale', async ({ id, data, transaction: t }) => {
    await deliver(t, [message(id, { shop: data.shopId }, 'shop.parcel-stale', { order: shortOrder(data.orderId), carrier: carrierName(data.carrier), trackingNumber: data.trackingNumber, since: Date.parse(data.since) }, '/seller/orders')]);
  });

  // after-sales: each step of a return reaches the other party
  events.subscribe('return.status-changed', async ({ id, data, transaction: t }) => {
    await repo.rememberOrder(data.orderId, data.buyerUserId, t);
    const order = shortOrder(data.orderId);
    const toBuyer = { user: data.buyerUserId };
    const toShop = { shop: data.shopId };
    const buyerLink = `/orders/${data.orderId}`;
    const shopLink = '/seller/returns';
    const note = data.note ?? '';
    const out: NewMessage[] = [];
    switch (data.status) {
      case 'requested':
        out.push(message(id, toShop, 'shop.return-requested', { order, amount: data.amount, reason: note }, shopLink));
        break;
      case 'approved':
        out.push(message(id, toBuyer, 'return.approved', { order }, buyerLink));
        break;
      case 'rejected':
        out.push(message(id, toBuyer, 'return.rejected', { order, reason: note }, buyerLink));
        break;
      case 'cancelled':
        out.push(message(id, toShop, 'shop.return-cancelled', { order }, shopLink));
        break;
      case 'shipped_back':
        out.push(message(id, toShop, 'shop.return-shipped', { order, parcel: note }, shopLink));
        break;
      case 'delivered_to_shop':
        out.push(message(id, toShop, 'shop.return-arrived', { order, amount: data.amount }, shopLink));
        break;
      case 'received':
        out.push(message(id, toBuyer, 'return.received', { order, amount: data.amount }, buyerLink));
        break;
      case 'disputed':
        out.push(message(id, toBuyer, 'return.disputed', { order, reason: note }, buyerLink), message(id, 'platform', 'platform.return-disputed', { order, amount: data.amount, reason: note }, null));
        break;
      default:
        // refunded: sub-order.refunded tells both; refund_failed: payment.refund-failed tells the platform
        break;
    }
    if (out.length) await deliver(t, out);
  });
}
