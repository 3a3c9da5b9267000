import 'server-only';
import { NotificationPublic, type Broadcast, type BroadcastPage, type CreateBroadcastRequest, type InboxMessage, type InboxPage, type NotificationPreferences, type PutNotificationPreferences } from '@emporium/contracts';
import type { Locale } from '@/i18n/routing';
import { call } from './sidecar';

/** Whose inbox a page shows: the signed-in user's, a shop's (its staff), or the platform's (its admins). */
export type InboxOwner = { kind: 'me' } | { kind: 'shop'; shopId: string } | { kind: 'platform' };

export interface InboxFilter {
  locale: Locale;
  unread?: boolean;
  archived?: boolean;
  cursor?: string | undefined;
}

export async function inboxPage(token: string, owner: InboxOwner, f: InboxFilter): Promise<InboxPage> {
  const query = { locale: f.locale, limit: '20', unread: f.unread ? 'true' : undefined, archived: f.archived ? 'true' : undefined, cursor: f.cursor };
  if (owner.kind === 'me') return call(NotificationPublic.listMyNotifications, { token, query });
  if (owner.kind === 'shop') return call(NotificationPublic.listShopNotifications, { token, params: { shopId: owner.shopId }, query });
  return call(NotificationPublic.listPlatformNotifications, { token, query });
}

/** The unread count of a shop's inbox, for the seller portal's navigation. */
export async function shopUnread(token: string, shopId: string): Promise<number> {
  return (await call(NotificationPublic.countShopUnread, { token, params: { shopId } })).unread;
}

/** The unread count of my inbox, for the header's badge. */
export async function myUnread(token: string): Promise<number> {
  return (await call(NotificationPublic.countMyUnread, { token })).unread;
}

export async function markRead(token: string, owner: InboxOwner, messageId: string): Promise<InboxMessage> {
  if (owner.kind === 'me') return call(NotificationPublic.readMyNotification, { token, params: { messageId } });
  if (owner.kind === 'shop') return call(NotificationPublic.readShopNotification, { token, params: { shopId: owner.shopId, messageId } });
  return call(NotificationPublic.readPlatformNotification, { token, params: { messageId } });
}

/** Archives a message (the platform's inbox has no archive: there it is marked read). */
export async function archive(token: string, owner: InboxOwner, messageId: string): Promise<InboxMessage> {
  if (owner.kind === 'me') return call(NotificationPublic.archiveMyNotification, { token, params: { messageId } });
  if (owner.kind === 'shop') return call(NotificationPublic.archiveShopNotification, { token, params: { shopId: owner.shopId, messageId } });
  return call(NotificationPublic.readPlatformNotification, { token, params: { messageId } });
}

export async function markAllRead(token: string, owner: InboxOwner): Promise<number> {
  if (owner.kind === 'me') return (await call(NotificationPublic.readAllMyNotifications, { token })).marked;
  if (owner.kind === 'shop') return (await call(NotificationPublic.readAllShopNotifications, { token, params: { shopId: owner.shopId } })).marked;
  return (await call(NotificationPublic.readAllPlatformNotifications, { token })).marked;
}

export async function myPreferences(token: string): Promise<NotificationPreferences> {
  return call(NotificationPublic.getMyNotificationPreferences, { token });
}

export async function putMyPreferences(token: string, body: PutNotificationPreferences): Promise<NotificationPreferences> {
  return call(NotificationPublic.putMyNotificationPreferences, { token, body });
}

export async function broadcasts(token: string, cursor?: string): Promise<BroadcastPage> {
  return call(NotificationPublic.listBroadcasts, { token, query: { limit: '20', cursor } });
}

export async function createBroadcast(token: string, key: string, body: CreateBroadcastRequest): Promise<Broadcast> {
  return call(NotificationPublic.createBroadcast, { token, body, headers: { 'idempotency-key': key } });
}
