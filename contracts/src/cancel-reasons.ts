import type { BilingualText } from './i18n';

/**
 * The reasons the platform itself gives when an order ends unpaid
 * (`Order.cancelReason`, `order.cancelled`'s `reason`): the services that end
 * an order write these constants, and `CancelReasons` has their words for
 * the buyer. A provider's failure code (`card_declined`) comes through as the
 * provider wrote it; the ones listed here have words too. Any other reason is
 * shown as it is. A module of its own, without zod, so a service that only
 * writes a reason loads nothing else of the contracts.
 */
export const CancelReason = {
  paymentTimedOut: 'payment timed out',
  cancelledByBuyer: 'cancelled by the buyer',
  cancelledAtProvider: 'cancelled at the provider',
  /** the provider simulator's decline code (apps/provider-sim) */
  cardDeclined: 'card_declined',
} as const;

export const CancelReasons: Readonly<Record<string, BilingualText>> = {
  [CancelReason.cardDeclined]: { 'zh-CN': '银行卡被拒绝，付款未成功', en: 'the card was declined' },
  [CancelReason.paymentTimedOut]: { 'zh-CN': '未在规定时间内付款', en: 'it was not paid in time' },
  [CancelReason.cancelledByBuyer]: { 'zh-CN': '您取消了订单', en: 'you cancelled it' },
  [CancelReason.cancelledAtProvider]: { 'zh-CN': '付款在支付页面被取消', en: 'the payment was cancelled on the payment page' },
};

/** A cancellation reason in both languages when the platform knows it, else as it was given. */
export const cancelReasonText = (reason: string): BilingualText | string => (Object.hasOwn(CancelReasons, reason) ? CancelReasons[reason]! : reason);
