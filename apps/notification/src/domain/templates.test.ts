import { IntlMessageFormat } from 'intl-messageformat';
import { TEMPLATES, formatMoney, render, type TemplateKey } from './templates';

describe('message templates', () => {
  const params: Record<string, unknown> = {
    order: '1A2B3C4D',
    total: { amount: 12_800, currency: 'CNY' },
    amount: { amount: 500, currency: 'CNY' },
    full: true,
    reason: 'out of stock',
    carrier: 'SF Express',
    trackingNumber: 'SF1234567890',
    shopName: { 'zh-CN': '龙泉窑', en: 'Longquan kiln' },
    companyName: 'Acme',
    role: 'staff',
    available: 2,
    threshold: 5,
    orders: 3,
    from: 1,
    to: 2,
    autoCompleteAt: Date.UTC(2026, 11, 10, 4, 30),
    since: Date.UTC(2026, 11, 1, 16, 0),
    attempts: 2,
    kind: 'returned_to_sender',
    parcel: 'SF SF1234567890',
  };

  it('parse as ICU messages and render in both languages with nothing left unfilled', () => {
    for (const key of Object.keys(TEMPLATES) as TemplateKey[]) {
      for (const locale of ['zh-CN', 'en'] as const) {
        for (const field of ['title', 'body'] as const) expect(() => new IntlMessageFormat(TEMPLATES[key][field][locale], locale)).not.toThrow();
        const { title, body } = render(key, params, locale);
        expect([key, locale, title.length > 0, /[{}]/.test(body)]).toEqual([key, locale, true, false]);
      }
    }
  });

  it('write money in minor units for the reader, and choose plural and select forms', () => {
    expect(formatMoney({ amount: 12_800, currency: 'CNY' }, 'zh-CN')).toBe('¥128.00');
    expect(formatMoney({ amount: 12_800, currency: 'CNY' }, 'en')).toBe('CN¥128.00');
    expect(formatMoney({ amount: 1_500, currency: 'JPY' }, 'en')).toBe('¥1,500');
    expect(render('shop.stock-low', { available: 0, threshold: 5 }, 'en').body).toBe('A SKU is sold out (your threshold is 5).');
    expect(render('shop.stock-low', { available: 1, threshold: 5 }, 'en').body).toBe('A SKU is down to 1 unit (your threshold is 5).');
    expect(render('order.refunded', { order: 'X', amount: { amount: 500, currency: 'CNY' }, full: false }, 'zh-CN').body).toBe('订单 X 已部分退款 ¥5.00。');
  });

  it("give a shop's name in the reader's language", () => {
    expect(render('account.shop-approved', { shopName: { 'zh-CN': '龙泉窑', en: 'Longquan kiln' } }, 'en').body).toBe('Congratulations: Longquan kiln is approved. You can list products now.');
    expect(render('account.shop-approved', { shopName: { 'zh-CN': '龙泉窑', en: 'Longquan kiln' } }, 'zh-CN').body).toContain('「龙泉窑」');
  });

  it('show the words of a template whose parameters are missing, never fail the inbox', () => {
    expect(render('order.paid', {}, 'en').title).toBe('Order paid');
    expect(render('order.paid', {}, 'en').body).toContain('{order}');
  });

  it("when a message has a date, then it is written in China Standard Time in the reader's language", () => {
    const at = { order: '1A2B3C4D', autoCompleteAt: Date.UTC(2026, 11, 10, 20, 30) };
    expect(render('order.delivered', at, 'zh-CN').body).toContain('2026年12月11日');
    expect(render('order.delivered', at, 'en').body).toContain('December 11, 2026');
  });

  it('when an exception names its kind, then each kind has its own words, and a carrier its name in each language', () => {
    const p = { order: '1A2B3C4D', carrier: { 'zh-CN': '顺丰速运', en: 'SF Express' }, trackingNumber: 'SF1234567890' };
    expect(render('parcel.exception', { ...p, kind: 'lost' }, 'en').body).toBe('The parcel of order 1A2B3C4D (SF Express SF1234567890): the carrier lost it.');
    expect(render('parcel.exception', { ...p, kind: 'customs' }, 'zh-CN').body).toBe('订单 1A2B3C4D 的包裹（顺丰速运 SF1234567890）：清关中。');
  });
});
