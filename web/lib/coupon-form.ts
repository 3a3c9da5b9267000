import { CreateCouponTemplateRequest } from '@emporium/contracts';
import { issuesOf, text, type FormState } from './form-state';
import { toMinor } from './product-draft';
import { SCOPE_FIELD, scopeOf } from './scope-form';

const COUPON_FIELDS = ['name.zh-CN', 'name.en', 'kind', 'amount', 'percentOff', 'maxOff', 'minSpend', 'total', 'perUserLimit', 'claimDays', 'validDays', 'returnOnRefund', 'distribution', 'minLevel'] as const;

/** A form field of the coupon form for a path of the request (amounts are typed in yuan, the request has minor units). */
function couponField(path: PropertyKey[]): string {
  const [head, next] = path.map(String);
  if (head === 'discount') return next === 'percentOff' ? 'percentOff' : next === 'maxOff' ? 'maxOff' : 'amount';
  if (head === 'minSpend') return 'minSpend';
  if (head === 'validity') return 'validDays';
  if (head === 'claimEndsAt' || head === 'claimStartsAt') return 'claimDays';
  if (head === 'scope') return SCOPE_FIELD;
  return path.map(String).join('.');
}

/**
 * The coupon form (seller portal and admin console) as a template request:
 * claimable from now for the days given, each coupon usable for the days
 * given after its claim; amounts are typed in yuan. Refused with the form's
 * own field names.
 */
export function couponRequestOf(form: FormData): { ok: true; request: CreateCouponTemplateRequest; values: Record<string, string> } | { ok: false; state: FormState } {
  const values = Object.fromEntries(COUPON_FIELDS.map((f) => [f, text(form, f).trim()]));
  const money = (field: string) => {
    const minor = toMinor(values[field] ?? '');
    return minor === null ? null : { amount: minor, currency: 'CNY' };
  };
  const int = (field: string) => (/^\d{1,7}$/.test(values[field] ?? '') ? Number(values[field]) : Number.NaN);
  const now = Date.now();
  const claimDays = int('claimDays');
  const unreadable = COUPON_FIELDS.filter((f) => ['amount', 'maxOff', 'minSpend'].includes(f) && values[f] !== '' && money(f) === null);
  if (unreadable.length) return { ok: false, state: { errors: unreadable.map((f) => ({ field: f, message: 'an amount such as 10 or 9.90' })), problem: null, values } };
  const parsed = CreateCouponTemplateRequest.safeParse({
    name: { 'zh-CN': values['name.zh-CN'], en: values['name.en'] },
    discount:
      values.kind === 'percent'
        ? { kind: 'percent', percentOff: int('percentOff'), maxOff: money('maxOff') }
        : { kind: 'fixed', amount: money('amount') ?? { amount: 0, currency: 'CNY' } },
    minSpend: money('minSpend'),
    scope: scopeOf(form),
    validity: { kind: 'after-claim', days: int('validDays') },
    claimStartsAt: new Date(now - 60_000).toISOString(),
    claimEndsAt: new Date(now + (Number.isFinite(claimDays) ? claimDays : 0) * 86_400_000).toISOString(),
    total: int('total'),
    perUserLimit: int('perUserLimit'),
    returnOnRefund: values.returnOnRefund === 'on',
    distribution: values.distribution || 'claim',
    // the level whose members get one (level coupons only; a level typed for another way is refused by name)
    ...(values.minLevel !== '' || values.distribution === 'level' ? { minLevel: int('minLevel') } : {}),
  });
  if (!parsed.success) return { ok: false, state: { errors: issuesOf(parsed.error.issues, couponField), problem: null, values } };
  return { ok: true, request: parsed.data, values };
}
