import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale, NotificationCategory } from '@emporium/contracts';

/**
 * What each kind of message says, in ICU message format, in both languages.
 * Parameters are kept with the message and rendered when it is read, in the
 * reader's language: money (`{amount, currency}` in minor units) is
 * formatted for that language, a bilingual text (a shop's name) gives that
 * language's, `order` is the short order number.
 */
export interface Template {
  category: NotificationCategory;
  title: Record<Locale, string>;
  body: Record<Locale, string>;
}

export const TEMPLATES = {
  'order.paid': {
    category: 'orders',
    title: { 'zh-CN': '订单已支付', en: 'Order paid' },
    body: { 'zh-CN': '订单 {order} 已支付 {total}，商家将尽快发货。', en: 'Order {order} is paid ({total}). The shops will ship it soon.' },
  },
  'order.cancelled': {
    category: 'orders',
    title: { 'zh-CN': '订单已取消', en: 'Order cancelled' },
    body: { 'zh-CN': '订单 {order} 已取消：{reason}。占用的库存和优惠券已释放。', en: 'Order {order} was cancelled: {reason}. What it held is released.' },
  },
  'order.shipped': {
    category: 'shipping',
    title: { 'zh-CN': '包裹已发出', en: 'Your parcel is on its way' },
    body: { 'zh-CN': '订单 {order} 已由 {carrier} 发出，运单号 {trackingNumber}。', en: 'Order {order} has shipped with {carrier}, tracking number {trackingNumber}.' },
  },
  'order.refunded': {
    category: 'refunds',
    title: { 'zh-CN': '退款已到账', en: 'Refund made' },
    body: {
      'zh-CN': '订单 {order} {full, select, true {已全额退款} other {已部分退款}} {amount}。',
      en: 'Order {order}: {amount} refunded{full, select, true { in full} other {}}.',
    },
  },
  'refund.approved': {
    category: 'refunds',
    title: { 'zh-CN': '退款申请已同意', en: 'Refund approved' },
    body: { 'zh-CN': '商家已同意订单 {order} 的退款 {amount}，款项将原路退回。', en: 'The shop approved a refund of {amount} on order {order}: the money goes back the way it came.' },
  },
  'refund.rejected': {
    category: 'refunds',
    title: { 'zh-CN': '退款申请被拒绝', en: 'Refund declined' },
    body: { 'zh-CN': '商家拒绝了订单 {order} 的退款申请：{reason}', en: 'The shop declined the refund on order {order}: {reason}' },
  },
  'order.completed': {
    category: 'orders',
    title: { 'zh-CN': '订单已完成', en: 'Order complete' },
    body: { 'zh-CN': '订单 {order} 已完成，感谢您的购买。', en: 'Order {order} is complete. Thank you for shopping with us.' },
  },
  'group-buy.formed': {
    category: 'group_buys',
    title: { 'zh-CN': '拼团成功', en: 'Your group buy is on' },
    body: { 'zh-CN': '订单 {order} 的拼团已成团，商家将发货。', en: 'The group of order {order} is full: the shop will ship it.' },
  },
  'group-buy.failed': {
    category: 'group_buys',
    title: { 'zh-CN': '拼团未成功', en: 'Group buy did not form' },
    body: { 'zh-CN': '订单 {order} 的拼团未成团，款项将全额退回。', en: 'The group of order {order} did not fill: you are refunded in full.' },
  },
  'account.shop-approved': {
    category: 'account',
    title: { 'zh-CN': '店铺已开通', en: 'Your shop is open' },
    body: { 'zh-CN': '恭喜！店铺「{shopName}」已通过审核，可以上架商品了。', en: 'Congratulations: {shopName} is approved. You can list products now.' },
  },
  'account.shop-rejected': {
    category: 'account',
    title: { 'zh-CN': '开店申请未通过', en: 'Shop application declined' },
    body: { 'zh-CN': '您的开店申请未通过：{reason}', en: 'Your shop application was declined: {reason}' },
  },
  'account.company-approved': {
    category: 'account',
    title: { 'zh-CN': '企业账户已开通', en: 'Company account approved' },
    body: { 'zh-CN': '企业「{companyName}」已通过审核，可使用企业价格和账期。', en: '{companyName} is approved: company prices and invoices are open to its buyers.' },
  },
  'account.company-rejected': {
    category: 'account',
    title: { 'zh-CN': '企业申请未通过', en: 'Company application declined' },
    body: { 'zh-CN': '企业「{companyName}」的申请未通过：{reason}', en: 'The application of {companyName} was declined: {reason}' },
  },
  'account.level-changed': {
    category: 'account',
    title: { 'zh-CN': '会员等级变化', en: 'Membership level changed' },
    body: { 'zh-CN': '您的会员等级从 V{from} 变为 V{to}。', en: 'Your membership level went from {from} to {to}.' },
  },
  'shop.order-paid': {
    category: 'orders',
    title: { 'zh-CN': '新订单待发货', en: 'New order to ship' },
    body: { 'zh-CN': '订单 {order} 已支付 {total}，请尽快发货。', en: 'Order {order} is paid ({total}): ship it soon.' },
  },
  'shop.sub-order-completed': {
    category: 'orders',
    title: { 'zh-CN': '订单已完成，货款已结算', en: 'Order complete, money released' },
    body: { 'zh-CN': '订单 {order} 已完成，{total} 已计入店铺应收。', en: "Order {order} is complete: {total} is released to the shop's receivable." },
  },
  'shop.refund-requested': {
    category: 'refunds',
    title: { 'zh-CN': '新的退款申请', en: 'Refund requested' },
    body: { 'zh-CN': '买家申请订单 {order} 退款 {amount}：{reason}。请尽快处理。', en: 'A buyer asks for {amount} back on order {order}: {reason}. Please decide soon.' },
  },
  'shop.sub-order-refunded': {
    category: 'refunds',
    title: { 'zh-CN': '订单已退款', en: 'Order refunded' },
    body: { 'zh-CN': '订单 {order} 已向买家退款 {amount}。', en: 'Order {order}: {amount} went back to the buyer.' },
  },
  'shop.staff-joined': {
    category: 'shop',
    title: { 'zh-CN': '新成员加入', en: 'New staff member' },
    body: { 'zh-CN': '一位新成员以「{role, select, owner {店主} other {店员}}」身份加入了店铺。', en: 'Someone joined the shop as {role, select, owner {owner} other {staff}}.' },
  },
  'shop.stock-low': {
    category: 'stock',
    title: { 'zh-CN': '库存不足', en: 'Stock running low' },
    body: {
      'zh-CN': '一个 SKU {available, plural, =0 {已售罄} other {仅剩 # 件}}（提醒阈值 {threshold}）。',
      en: 'A SKU is {available, plural, =0 {sold out} one {down to # unit} other {down to # units}} (your threshold is {threshold}).',
    },
  },
  'shop.group-formed': {
    category: 'group_buys',
    title: { 'zh-CN': '拼团成团', en: 'A group buy formed' },
    body: { 'zh-CN': '一个拼团已成团，{orders, plural, other {# 个订单}}待发货。', en: 'A group formed: {orders, plural, one {# order} other {# orders}} to ship.' },
  },
  'order.delivered': {
    category: 'shipping',
    title: { 'zh-CN': '包裹已送达', en: 'Delivered' },
    body: {
      'zh-CN': '订单 {order} 已送达。如无问题请确认收货；{autoCompleteAt, date, long}后将自动确认。',
      en: 'Order {order} was delivered. Confirm receipt if all is well; it is confirmed automatically on {autoCompleteAt, date, long}.',
    },
  },
  'parcel.out-for-delivery': {
    category: 'shipping',
    title: { 'zh-CN': '包裹派送中', en: 'Out for delivery' },
    body: { 'zh-CN': '订单 {order} 的包裹（{carrier} {trackingNumber}）正在派送，请保持电话畅通。', en: 'The parcel of order {order} ({carrier} {trackingNumber}) is out for delivery today.' },
  },
  'parcel.failed-attempt': {
    category: 'shipping',
    title: { 'zh-CN': '派送未成功', en: 'Delivery attempt failed' },
    body: {
      'zh-CN': '订单 {order} 的包裹（{carrier} {trackingNumber}）第 {attempts} 次派送未成功，快递员将再次派送或与您联系。',
      en: 'The carrier could not deliver the parcel of order {order} ({carrier} {trackingNumber}), attempt {attempts}. They will try again or contact you.',
    },
  },
  'parcel.available-for-pickup': {
    category: 'shipping',
    title: { 'zh-CN': '包裹待取件', en: 'Ready for pickup' },
    body: { 'zh-CN': '订单 {order} 的包裹（{carrier} {trackingNumber}）已到自提点，请尽快取件。', en: 'The parcel of order {order} ({carrier} {trackingNumber}) is waiting at a pickup point.' },
  },
  'parcel.exception': {
    category: 'shipping',
    title: { 'zh-CN': '物流异常', en: 'A problem with your parcel' },
    body: { 'zh-CN': '订单 {order} 的包裹（{carrier} {trackingNumber}）：{kind, select, returning_to_sender {包裹正在退回寄件人} returned_to_sender {包裹已退回寄件人} refused {收件人拒收} address_issue {地址有问题} customs {清关中} damaged {包裹破损} lost {包裹丢失} cancelled {运单已取消} delayed {运输延误} other {运输异常}}。', en: 'The parcel of order {order} ({carrier} {trackingNumber}): {kind, select, returning_to_sender {it is being returned to the sender} returned_to_sender {it was returned to the sender} refused {the recipient refused it} address_issue {there is a problem with the address} customs {it is held in customs} damaged {it was damaged} lost {the carrier lost it} cancelled {the waybill was cancelled} delayed {it is delayed} other {the carrier reported a problem}}.' },
  },
  'shop.parcel-exception': {
    category: 'shop',
    title: { 'zh-CN': '物流异常', en: 'A parcel has a problem' },
    body: { 'zh-CN': '订单 {order} 的包裹（{carrier} {trackingNumber}）：{kind, select, returning_to_sender {包裹正在退回寄件人} returned_to_sender {包裹已退回寄件人} refused {收件人拒收} address_issue {地址有问题} customs {清关中} damaged {包裹破损} lost {包裹丢失} cancelled {运单已取消} delayed {运输延误} other {运输异常}}。', en: 'The parcel of order {order} ({carrier} {trackingNumber}): {kind, select, returning_to_sender {it is being returned to the sender} returned_to_sender {it was returned to the sender} refused {the recipient refused it} address_issue {there is a problem with the address} customs {it is held in customs} damaged {it was damaged} lost {the carrier lost it} cancelled {the waybill was cancelled} delayed {it is delayed} other {the carrier reported a problem}}.' },
  },
  'shop.parcel-failed-attempt': {
    category: 'shop',
    title: { 'zh-CN': '派送未成功', en: 'Delivery attempt failed' },
    body: {
      'zh-CN': '订单 {order} 的包裹（{carrier} {trackingNumber}）派送未成功，快递员将再次派送。买家已收到通知。',
      en: 'The carrier could not deliver the parcel of order {order} ({carrier} {trackingNumber}). They will try again; the buyer has been told.',
    },
  },
  'shop.parcel-attempts': {
    category: 'shop',
    title: { 'zh-CN': '多次派送未成功', en: 'Repeated failed deliveries' },
    body: {
      'zh-CN': '订单 {order} 的包裹（{carrier} {trackingNumber}）已 {attempts} 次派送未成功，请联系买家或快递公司。',
      en: 'The parcel of order {order} ({carrier} {trackingNumber}) failed delivery {attempts} times. Contact the buyer or the carrier.',
    },
  },
  'shop.parcel-stale': {
    category: 'shop',
    title: { 'zh-CN': '物流长时间未更新', en: 'No tracking news' },
    body: {
      'zh-CN': '订单 {order} 的包裹（{carrier} {trackingNumber}）自 {since, date, long} 起没有新的物流信息，请联系快递公司核实。',
      en: 'The parcel of order {order} ({carrier} {trackingNumber}) has had no tracking news since {since, date, long}. Check with the carrier.',
    },
  },
  'shop.return-requested': {
    category: 'refunds',
    title: { 'zh-CN': '退货申请', en: 'Return requested' },
    body: { 'zh-CN': '订单 {order} 的买家申请退货退款 {amount}：{reason}', en: 'The buyer of order {order} asks to return goods for {amount}: {reason}' },
  },
  'return.approved': {
    category: 'refunds',
    title: { 'zh-CN': '退货申请已同意', en: 'Return approved' },
    body: { 'zh-CN': '订单 {order} 的退货申请已同意，请按订单页上的退货地址寄回商品并填写运单号。', en: 'Your return of order {order} was approved. Send the goods to the address on the order page and enter the tracking number.' },
  },
  'return.rejected': {
    category: 'refunds',
    title: { 'zh-CN': '退货申请被拒绝', en: 'Return declined' },
    body: { 'zh-CN': '订单 {order} 的退货申请被拒绝：{reason}', en: 'Your return of order {order} was declined: {reason}' },
  },
  'shop.return-cancelled': {
    category: 'refunds',
    title: { 'zh-CN': '买家撤销了退货', en: 'Return withdrawn' },
    body: { 'zh-CN': '订单 {order} 的买家撤销了退货申请。', en: 'The buyer of order {order} withdrew the return.' },
  },
  'shop.return-shipped': {
    category: 'refunds',
    title: { 'zh-CN': '买家已寄回商品', en: 'Goods sent back' },
    body: { 'zh-CN': '订单 {order} 的退货已寄出（{parcel}），送达后请确认收货。', en: 'The goods of order {order} are on their way back ({parcel}). Confirm receipt when they arrive.' },
  },
  'shop.return-arrived': {
    category: 'refunds',
    title: { 'zh-CN': '退货已送达', en: 'Returned goods delivered' },
    body: { 'zh-CN': '订单 {order} 的退货包裹已送达，请验货并确认收货，退款 {amount} 将随之退回买家。', en: 'The returned goods of order {order} were delivered to you. Check them and confirm receipt; {amount} then goes back to the buyer.' },
  },
  'return.received': {
    category: 'refunds',
    title: { 'zh-CN': '商家已收到退货', en: 'Your return arrived' },
    body: { 'zh-CN': '商家已收到订单 {order} 的退货，退款 {amount} 将原路退回。', en: 'The shop received the goods of order {order}; {amount} is on its way back to you.' },
  },
  'return.disputed': {
    category: 'refunds',
    title: { 'zh-CN': '退货有争议', en: 'Return disputed' },
    body: { 'zh-CN': '商家对订单 {order} 的退货提出异议：{reason}。平台客服将介入处理。', en: 'The shop disputes what came back for order {order}: {reason}. Our support team will step in.' },
  },
  'platform.return-disputed': {
    category: 'refunds',
    title: { 'zh-CN': '退货争议', en: 'A return is disputed' },
    body: { 'zh-CN': '订单 {order} 的退货（{amount}）有争议：{reason}', en: 'A return of order {order} ({amount}) is disputed: {reason}' },
  },
  'platform.shop-applied': {
    category: 'shop',
    title: { 'zh-CN': '新的开店申请', en: 'New shop application' },
    body: { 'zh-CN': '「{shopName}」申请开店，等待审核。', en: '{shopName} applied to open a shop.' },
  },
  'platform.company-registered': {
    category: 'account',
    title: { 'zh-CN': '新的企业申请', en: 'New company application' },
    body: { 'zh-CN': '企业「{companyName}」申请企业账户，等待审核。', en: '{companyName} applied for a company account.' },
  },
  'platform.refund-failed': {
    category: 'refunds',
    title: { 'zh-CN': '退款失败', en: 'A refund failed' },
    body: { 'zh-CN': '订单 {order} 的一笔退款失败：{reason}', en: 'A refund of order {order} failed: {reason}' },
  },
  'staff.invited': {
    category: 'shop',
    title: { 'zh-CN': '店铺邀请您加入', en: 'You are invited to work for a shop' },
    body: {
      'zh-CN': '店铺「{shopName}」邀请您以店员身份加入。使用本邮箱注册或登录后，在“我的账户”中接受邀请。',
      en: '{shopName} invites you to join as staff. Sign up or sign in with this e-mail address, then accept the invitation in your account.',
    },
  },
} as const satisfies Record<string, Template>;
export type TemplateKey = keyof typeof TEMPLATES;

/** The subject and opening line of a digest: the messages of a period gathered into one e-mail. */
export const DIGEST = {
  title: { 'zh-CN': '您有 {count} 条新通知', en: '{count, plural, one {# new notification} other {# new notifications}}' },
  body: {
    'zh-CN': '以下是过去{digest, select, hourly {一小时} other {一天}}内的通知：',
    en: 'What happened in the last {digest, select, hourly {hour} other {day}}:',
  },
} as const;

/** A digest's subject and opening line in `locale`. */
export function renderDigest(count: number, digest: 'hourly' | 'daily', locale: Locale): { title: string; body: string } {
  const f = (field: 'title' | 'body') => String(new IntlMessageFormat(DIGEST[field][locale], locale).format({ count, digest }));
  return { title: f('title'), body: f('body') };
}

export const isTemplateKey = (key: string): key is TemplateKey => Object.hasOwn(TEMPLATES, key);

const compiled = new Map<string, IntlMessageFormat>();
function formatter(key: TemplateKey, field: 'title' | 'body', locale: Locale): IntlMessageFormat {
  const id = `${key}\u0000${field}\u0000${locale}`;
  let f = compiled.get(id);
  if (!f) {
    // dates in the marketplace's time zone (China Standard Time), for readers of either language
    f = new IntlMessageFormat(TEMPLATES[key][field][locale], locale, { date: { long: { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai', timeZoneName: 'short' } } });
    compiled.set(id, f);
  }
  return f;
}

type Money = { amount: number; currency: string };
const isMoney = (v: unknown): v is Money => typeof v === 'object' && v !== null && typeof (v as Money).amount === 'number' && typeof (v as Money).currency === 'string';

const isBilingual = (v: unknown): v is Record<Locale, string> => typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)['zh-CN'] === 'string' && typeof (v as Record<string, unknown>).en === 'string';

/** Money in minor units, written for a reader of `locale` (¥128.00, CN¥128.00). */
export function formatMoney(m: Money, locale: Locale): string {
  const f = new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(m.amount / 10 ** digits);
}

/** A message's title and body in `locale`; one whose parameters no longer fit its template shows the template's words, never an error. */
export function render(key: TemplateKey, params: Record<string, unknown>, locale: Locale): { title: string; body: string } {
  const values: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(params)) {
    if (isMoney(v)) values[k] = formatMoney(v, locale);
    else if (isBilingual(v)) values[k] = v[locale];
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[k] = v;
  }
  const out = (field: 'title' | 'body') => {
    try {
      const text = formatter(key, field, locale).format(values);
      return typeof text === 'string' ? text : String(text);
    } catch {
      // a message written before a template gained a parameter: its words, unfilled, rather than no inbox at all
      return TEMPLATES[key][field][locale];
    }
  };
  return { title: out('title'), body: out('body') };
}

/** The short number shoppers and merchants see for an order. */
export const shortOrder = (orderId: string) => orderId.slice(0, 8).toUpperCase();
