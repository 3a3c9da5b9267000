'use server';

import { revalidatePath } from 'next/cache';
import { getLocale } from 'next-intl/server';
import { NotificationCategory, NotificationChannel, PutNotificationPreferences } from '@emporium/contracts';
import { redirect } from '@/i18n/navigation';
import { sessionToken } from '@/lib/data/account';
import { archive, markAllRead, markRead, putMyPreferences, type InboxOwner } from '@/lib/data/notifications';
import { refused, text } from '@/lib/form-state';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PAGES = { me: '/account/notifications', shop: '/seller/notifications', platform: '/admin/notifications' } as const;

/** Which inbox a form is about, and the page to go back to; the service decides whether the caller may touch it. */
function ownerOf(form: FormData): { owner: InboxOwner; page: string } {
  const kind = text(form, 'inbox');
  const shopId = text(form, 'shopId');
  if (kind === 'shop') {
    // never another inbox than the one named: a form with a broken shop id changes nothing
    if (!UUID.test(shopId)) throw new Error('the form names no shop');
    return { owner: { kind: 'shop', shopId }, page: PAGES.shop };
  }
  if (kind === 'platform') return { owner: { kind: 'platform' }, page: PAGES.platform };
  return { owner: { kind: 'me' }, page: PAGES.me };
}

async function signedIn(back: string): Promise<string> {
  const token = await sessionToken();
  return token ?? redirect({ href: { pathname: '/login', query: { next: back } }, locale: await getLocale() });
}

async function back(page: string, form: FormData): Promise<void> {
  revalidatePath('/[locale]', 'layout');
  const view = text(form, 'view');
  redirect({ href: { pathname: page, query: view === 'unread' || view === 'archived' ? { view } : {} }, locale: await getLocale() });
}

/** Marks one message read (opening it does too: see openAction). */
export async function readAction(form: FormData): Promise<void> {
  const { owner, page } = ownerOf(form);
  const token = await signedIn(page);
  const id = text(form, 'messageId');
  if (UUID.test(id)) await markRead(token, owner, id).catch(() => undefined);
  await back(page, form);
}

/** Marks a message read and goes where it leads. */
export async function openAction(form: FormData): Promise<void> {
  const { owner, page } = ownerOf(form);
  const token = await signedIn(page);
  const id = text(form, 'messageId');
  const link = text(form, 'link');
  if (UUID.test(id)) await markRead(token, owner, id).catch(() => undefined);
  revalidatePath('/[locale]', 'layout');
  // only a path of the platform: never another site
  redirect({ href: /^\/(?!\/)[\w\-/]*$/.test(link) ? link : page, locale: await getLocale() });
}

export async function archiveAction(form: FormData): Promise<void> {
  const { owner, page } = ownerOf(form);
  const token = await signedIn(page);
  const id = text(form, 'messageId');
  if (UUID.test(id)) await archive(token, owner, id).catch(() => undefined);
  await back(page, form);
}

export async function readAllAction(form: FormData): Promise<void> {
  const { owner, page } = ownerOf(form);
  const token = await signedIn(page);
  await markAllRead(token, owner);
  await back(page, form);
}

/** Every category and channel as the form's checkboxes say (a locked one is not sent: it stays on); back with `saved` or `refused`. */
export async function preferencesAction(form: FormData): Promise<void> {
  const token = await signedIn('/account/notifications/preferences');
  const items = NotificationCategory.options.flatMap((category) =>
    NotificationChannel.options.flatMap((channel) =>
      text(form, `locked:${category}:${channel}`)
        ? []
        : [{ category, channel, enabled: text(form, `on:${category}:${channel}`) === 'on', ...(channel === 'email' && text(form, `digest:${category}`) ? { digest: text(form, `digest:${category}`) } : {}) }],
    ),
  );
  const parsed = PutNotificationPreferences.safeParse({ items });
  let outcome = 'saved';
  if (!parsed.success) outcome = 'refused';
  else {
    try {
      await putMyPreferences(token, parsed.data);
    } catch (err) {
      refused(err);
      outcome = 'refused';
    }
  }
  redirect({ href: { pathname: '/account/notifications/preferences', query: { [outcome]: '1' } }, locale: await getLocale() });
}
