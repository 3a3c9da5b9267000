'use server';

import { randomUUID } from 'node:crypto';
import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { getLocale } from 'next-intl/server';
import { AddressInput, ChangePasswordRequest, UpdateProfileRequest } from '@emporium/contracts';
import { redirect } from '@/i18n/navigation';
import { changePassword, removeAddress, replaceAddress, sessionToken, updateProfile } from '@/lib/data/account';
import { addAddress } from '@/lib/data/orders';
import { accepted, issuesOf, refused, text, type FormState } from '@/lib/form-state';
import { writeSession } from '@/lib/session';

/** The session's token, or off to sign in and back to `back`. */
async function signedIn(back: string): Promise<string> {
  const token = await sessionToken();
  return token ?? redirect({ href: { pathname: '/login', query: { next: back } }, locale: await getLocale() });
}

export async function profileAction(_prev: FormState, form: FormData): Promise<FormState> {
  const token = await signedIn('/account');
  const values = { displayName: text(form, 'displayName'), locale: text(form, 'locale'), birthday: text(form, 'birthday') };
  // the birthday is optional, and given once: an empty field changes nothing
  const parsed = UpdateProfileRequest.safeParse({ displayName: values.displayName, locale: values.locale, ...(values.birthday ? { birthday: values.birthday } : {}) });
  if (!parsed.success) return { errors: issuesOf(parsed.error.issues), problem: null, values };
  try {
    await updateProfile(token, parsed.data);
  } catch (err) {
    return refused(err, values);
  }
  revalidatePath('/[locale]/account', 'page');
  redirect({ href: { pathname: '/account', query: { saved: '1' } }, locale: await getLocale() });
  return accepted;
}

/** A new password: identity ends every other session and this one carries on with the new pair it answers. */
export async function passwordAction(_prev: FormState, form: FormData): Promise<FormState> {
  const token = await signedIn('/account/password');
  const body = { currentPassword: text(form, 'currentPassword'), newPassword: text(form, 'newPassword') };
  if (body.newPassword !== text(form, 'repeatPassword')) return { errors: [{ field: 'repeatPassword', message: 'repeat the new password exactly' }], problem: null };
  const parsed = ChangePasswordRequest.safeParse(body);
  if (!parsed.success) return { errors: issuesOf(parsed.error.issues), problem: null };
  let pair;
  try {
    pair = await changePassword(token, text(form, 'key') || randomUUID(), parsed.data);
  } catch (err) {
    return refused(err);
  }
  writeSession(await cookies(), pair);
  redirect({ href: { pathname: '/account/password', query: { changed: '1' } }, locale: await getLocale() });
  return accepted;
}

const ADDRESS_FIELDS = ['recipient', 'phone', 'province', 'city', 'district', 'street', 'postalCode'] as const;

/**
 * Adds an address (keyed, so a double submit adds one) or changes one, then
 * goes back where the form was: the address book, or the same checkout (a
 * flash sale's unit stays the one being bought).
 */
export async function saveAddressAction(_prev: FormState, form: FormData): Promise<FormState> {
  const toCheckout = text(form, 'back') === 'checkout';
  const token = await signedIn(toCheckout ? '/checkout' : '/account/addresses');
  const values = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, text(form, f).trim()]));
  const { postalCode, ...rest } = values;
  const parsed = AddressInput.safeParse({ ...rest, ...(postalCode ? { postalCode } : {}), isDefault: toCheckout || form.get('isDefault') === 'on' });
  if (!parsed.success) return { errors: issuesOf(parsed.error.issues), problem: null, values };
  const addressId = text(form, 'addressId');
  try {
    if (addressId) await replaceAddress(token, addressId, parsed.data);
    else await addAddress(token, text(form, 'key') || randomUUID(), parsed.data);
  } catch (err) {
    return refused(err, values);
  }
  const locale = await getLocale();
  if (!toCheckout) {
    revalidatePath('/[locale]/account/addresses', 'page');
    redirect({ href: '/account/addresses', locale });
  }
  const keep = Object.fromEntries([...form.entries()].filter(([k, v]) => k.startsWith('keep.') && typeof v === 'string').map(([k, v]) => [k.slice(5), v as string]));
  // (an empty query object made the redirect keep the page as it was rendered before the save)
  redirect({ href: Object.keys(keep).length ? { pathname: '/checkout', query: keep } : '/checkout', locale });
  return accepted;
}

export async function removeAddressAction(form: FormData): Promise<void> {
  const token = await signedIn('/account/addresses');
  await removeAddress(token, text(form, 'addressId'));
  revalidatePath('/[locale]/account/addresses', 'page');
  redirect({ href: '/account/addresses', locale: await getLocale() });
}
