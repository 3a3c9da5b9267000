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
});
