'use server';

import { randomUUID } from 'node:crypto';
import { revalidatePath } from 'next/cache';
import { getLocale } from 'next-intl/server';
import { CreateBroadcastRequest } from '@emporium/contracts';
import { redirect } from '@/i18n/navigation';
import { config } from '@/lib/config';
import { createBroadcast } from '@/lib/data/notifications';
import { ServiceError } from '@/lib/data/sidecar';
import { text } from '@/lib/form-state';
import { adminToken } from '../guard';

/** A wall-clock time of the form (`2026-12-12T20:00`) as the instant it is in the platform's time zone. */
function inPlatformTime(local: string): string {
  const zone = new Intl.DateTimeFormat('en-US', { timeZone: config().PLATFORM_TIME_ZONE, timeZoneName: 'longOffset' }).formatToParts(new Date(`${local}:00Z`)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = zone === 'GMT' ? '+00:00' : zone.slice(3);
  return new Date(`${local}:00${offset}`).toISOString();
}

/**
 * Sends a broadcast (keyed by the form's key, so a double submit sends one);
 * back to the page with `sent`, or with the first wrong field named.
 */
export async function broadcastAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/notifications');
  const kind = text(form, 'audience');
  const expires = text(form, 'expiresAt');
  const body = {
    audience: kind === 'company' ? { kind, companyId: text(form, 'companyId') } : kind === 'tag' ? { kind, tag: text(form, 'tag') } : { kind },
    category: text(form, 'category') || 'announcements',
    title: { 'zh-CN': text(form, 'titleZh'), en: text(form, 'titleEn') },
    body: { 'zh-CN': text(form, 'bodyZh'), en: text(form, 'bodyEn') },
    ...(text(form, 'link') ? { link: text(form, 'link') } : {}),
    expiresAt: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(expires) ? inPlatformTime(expires) : '',
  };
  const parsed = CreateBroadcastRequest.safeParse(body);
  let query: Record<string, string> = { sent: '1' };
  if (!parsed.success) query = { wrong: parsed.error.issues[0]?.path.join('.') || 'form' };
  else {
    try {
      await createBroadcast(token, text(form, 'key') || randomUUID(), parsed.data);
    } catch (err) {
      if (!(err instanceof ServiceError) || err.status >= 500) throw err;
      query = { wrong: err.problem?.errors?.[0]?.field ?? 'form' };
    }
  }
  revalidatePath('/[locale]/admin/notifications', 'page');
  redirect({ href: { pathname: '/admin/notifications', query }, locale: await getLocale() });
}
