import { MarketingInternal } from '@emporium/contracts';
import { InvocationError, type Transaction } from '@emporium/kit';
import type { MembershipContext } from './membership-context';

/** The calendar day `now` is in `timeZone`. */
export function localDay(now: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The birthdays (MM-DD) celebrated on a day: its own, and on 28 February of a common year also 29 February's. */
export function birthdaysOn(d: { year: number; month: number; day: number }): string[] {
  const md = `${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  return md === '02-28' && !isLeap(d.year) ? [md, '02-29'] : [md];
}

/** identity said a user's birthday (once): membership keeps it for the birthday coupon. */
export async function setBirthday(ctx: MembershipContext, userId: string, birthday: string, t: Transaction): Promise<void> {
  await ctx.repo.lockMember(userId, t);
  await ctx.repo.setBirthday(userId, birthday, t);
}

/**
 * One pass of the birthday sweep: members whose birthday is today (in the platform's time zone), whose
 * level carries a birthday coupon and who had none this year get one from marketing (the occasion's key
 * makes a repeated call give the same coupon). A definite refusal (none left, a template not open) is
 * recorded too, so it is not asked again all day; marketing away leaves it for the next pass.
 */
export async function giveBirthdayCoupons(ctx: MembershipContext, now = new Date(), limit = 100): Promise<number> {
  const today = localDay(now, ctx.birthdays.timeZone);
  let given = 0;
  for (const m of await ctx.repo.birthdaysDue(birthdaysOn(today), today.year, limit)) {
    let couponId: string | null = null;
    let refused: string | null = null;
    try {
      const coupon = await ctx.sidecar.call(MarketingInternal.giftCoupon, {
        body: { templateId: m.templateId, userId: m.userId, key: `birthday:${today.year}`, note: 'Happy birthday from Emporium' },
      });
      couponId = coupon.id;
    } catch (err) {
      if (!(err instanceof InvocationError && (err.status === 404 || err.status === 409))) {
        ctx.logger.warn({ err, userId: m.userId }, 'birthday coupon not given now: tried again on the next pass');
        continue;
      }
      refused = (err.body as { code?: string } | null)?.code ?? String(err.status);
      ctx.logger.warn({ userId: m.userId, templateId: m.templateId, refused }, 'marketing refused a birthday coupon');
    }
    await ctx.repo.insertBirthdayGift({ userId: m.userId, year: today.year, level: m.level, templateId: m.templateId, couponId, refused });
    if (couponId) given++;
  }
  return given;
}
