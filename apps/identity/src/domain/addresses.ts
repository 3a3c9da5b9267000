import type { Transaction } from '@emporium/kit';
import type { Address, AddressInput } from '@emporium/contracts';
import { NotFoundError, UnprocessableError } from '@emporium/kit';
import type { IdentityContext } from './identity-context';

/**
 * A buyer's address book: at most 20 addresses, exactly one default once
 * there is any (the first one, or the one marked so). Checkout takes a
 * snapshot of the chosen address, so later edits never change an order.
 */
interface AddressRow {
  id: string;
  user_id: string;
  recipient: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  street: string;
  postal_code: string | null;
  is_default: boolean;
  created_at: Date;
}

const toAddress = (r: AddressRow): Address => ({
  id: r.id,
  recipient: r.recipient,
  phone: r.phone,
  province: r.province,
  city: r.city,
  district: r.district,
  street: r.street,
  postalCode: r.postal_code,
  isDefault: r.is_default,
  createdAt: r.created_at.toISOString(),
});

const MAX = 20;

export async function addresses(ctx: IdentityContext, userId: string, t?: Transaction): Promise<Address[]> {
  const rows = await ctx.db.query<AddressRow>('SELECT * FROM addresses WHERE user_id = :userId ORDER BY is_default DESC, created_at, id', { userId }, t);
  return rows.map(toAddress);
}

export async function address(ctx: IdentityContext, userId: string, id: string): Promise<Address> {
  const found = (await addresses(ctx, userId)).find((a) => a.id === id);
  if (!found) throw new NotFoundError('no such address');
  return found;
}

/** Idempotent by id (the caller's Idempotency-Key names it). */
export async function addAddress(ctx: IdentityContext, userId: string, id: string, input: AddressInput): Promise<Address> {
  return ctx.db.transaction(async (t) => {
    // one writer per address book at a time, so the default and the count stay right
    await ctx.users.lock(userId, t);
    const existing = await addresses(ctx, userId, t);
    const again = existing.find((a) => a.id === id);
    if (again) return again;
    if (existing.length >= MAX) throw new UnprocessableError(`an address book holds at most ${MAX} addresses`);
    const makeDefault = input.isDefault || existing.length === 0;
    if (makeDefault) await ctx.db.query('UPDATE addresses SET is_default = false WHERE user_id = :userId AND is_default', { userId }, t);
    await ctx.db.query(`INSERT INTO addresses (id, user_id, recipient, phone, province, city, district, street, postal_code, is_default)
       VALUES (:id, :userId, :recipient, :phone, :province, :city, :district, :street, :postalCode, :isDefault)`, { id, userId, ...input, postalCode: input.postalCode ?? null, isDefault: makeDefault }, t);
    return (await addresses(ctx, userId, t)).find((a) => a.id === id)!;
  });
}

/** Replaces one address; marking it default unmarks the old default (a default stays one until another is chosen). */
export async function replaceAddress(ctx: IdentityContext, userId: string, id: string, input: AddressInput): Promise<Address> {
  return ctx.db.transaction(async (t) => {
    await ctx.users.lock(userId, t);
    if (input.isDefault) await ctx.db.query('UPDATE addresses SET is_default = false WHERE user_id = :userId AND is_default AND id <> :id', { userId, id }, t);
    const [changed] = await ctx.db.query<{ id: string }>(`UPDATE addresses SET recipient = :recipient, phone = :phone, province = :province, city = :city, district = :district, street = :street,
              postal_code = :postalCode, is_default = is_default OR :isDefault
        WHERE id = :id AND user_id = :userId RETURNING id`, { id, userId, ...input, postalCode: input.postalCode ?? null }, t);
    // nothing was changed; the transaction rolls the default back
    if (!changed) throw new NotFoundError('no such address');
    return (await addresses(ctx, userId, t)).find((a) => a.id === id)!;
  });
}

export async function removeAddress(ctx: IdentityContext, userId: string, id: string): Promise<void> {
  await ctx.db.transaction(async (t) => {
    // the address book's lock, as adding and replacing take: two removals at once could otherwise promote an address the other deletes, leaving no default
    await ctx.users.lock(userId, t);
    const [gone] = await ctx.db.query<{ is_default: boolean }>('DELETE FROM addresses WHERE id = :id AND user_id = :userId RETURNING is_default', { id, userId }, t);
    if (!gone) throw new NotFoundError('no such address');
    // the oldest remaining one becomes the default
    if (gone.is_default) {
      await ctx.db.query('UPDATE addresses SET is_default = true WHERE id = (SELECT id FROM addresses WHERE user_id = :userId ORDER BY created_at, id LIMIT 1)', { userId }, t);
    }
  });
}
