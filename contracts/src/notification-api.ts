import { defineOperations, type ApiOperation } from './operation';
import { Broadcast, BroadcastPage, CreateBroadcastRequest, InboxMessage, InboxPage, InboxVersion, NotificationPreferences, PutNotificationPreferences, ReadAllResult, UnreadCount } from './notification';

const app = 'notification' as const;

/**
 * notification's public operations (the gateway routes them at /api/v1).
 * Three kinds of inbox: a user's (`/me`), a shop's (its staff read it
 * together) and the platform's (its admins). Inbox pages take InboxQuery
 * (locale, unread, archived, cursor, limit), broadcast pages BroadcastQuery.
 */
export const NotificationPublic = defineOperations({
  listMyNotifications: { operationId: 'listMyNotifications', method: 'get', path: '/me/notifications', appId: app,
    summary: 'My inbox (站内信): messages to me and the broadcasts of my audiences, newest first, in the language asked',
    responses: { 200: { description: 'A page', schema: InboxPage } } },
  countMyUnread: { operationId: 'countMyUnread', method: 'get', path: '/me/notifications/unread-count', appId: app, summary: 'How many messages of my inbox are unread',
    responses: { 200: { description: 'Unread', schema: UnreadCount } } },
  watchMyNotifications: { operationId: 'watchMyNotifications', method: 'get', path: '/me/notifications/changes', appId: app,
    summary: "My inbox's version and unread count, once it differs from `after` or `waitMs` has passed (a long poll: what live badges and web's event stream wait on)",
    responses: { 200: { description: 'The version now', schema: InboxVersion } } },
  streamMyNotifications: { operationId: 'streamMyNotifications', method: 'get', path: '/me/notifications/stream', appId: 'web',
    summary: "My inbox as Server-Sent Events (text/event-stream): an `unread` event with the count whenever the inbox changes, its id the inbox's version; reconnecting with Last-Event-ID hears only what was missed. Signed in by a bearer token or web's session cookie; web serves it over notification's long poll, on any number of replicas",
    responses: { 200: { description: 'The event stream' }, 401: { description: 'Not signed in' }, 406: { description: 'Asked without Accept: text/event-stream' } } },
  readMyNotification: { operationId: 'readMyNotification', method: 'post', path: '/me/notifications/:messageId/read', appId: app, summary: 'Mark a message of my inbox read (again: no change)',
    responses: { 200: { description: 'The message', schema: InboxMessage } } },
  archiveMyNotification: { operationId: 'archiveMyNotification', method: 'post', path: '/me/notifications/:messageId/archive', appId: app, summary: 'Move a message of my inbox to the archive (read, and out of the inbox)',
    responses: { 200: { description: 'The message', schema: InboxMessage } } },
  readAllMyNotifications: { operationId: 'readAllMyNotifications', method: 'post', path: '/me/notifications/read-all', appId: app, summary: 'Mark every message of my inbox read',
    responses: { 200: { description: 'Marked', schema: ReadAllResult } } },
  getMyNotificationPreferences: { operationId: 'getMyNotificationPreferences', method: 'get', path: '/me/notification-preferences', appId: app,
    summary: 'Which categories reach me by which channel (transactional ones always reach me)', responses: { 200: { description: 'Preferences', schema: NotificationPreferences } } },
  putMyNotificationPreferences: { operationId: 'putMyNotificationPreferences', method: 'put', path: '/me/notification-preferences', appId: app,
    summary: 'Switch categories on or off per channel (the ones not named keep their setting; a transactional one switched off is refused, naming it)', request: PutNotificationPreferences,
    example: { items: [{ category: 'promotions', channel: 'email', enabled: false }] },
    responses: { 200: { description: 'Preferences', schema: NotificationPreferences } } },

  listShopNotifications: { operationId: 'listShopNotifications', method: 'get', path: '/shops/:shopId/notifications', appId: app,
    summary: "The shop's inbox, read by its staff together (orders to ship, refunds, stock, staff)", responses: { 200: { description: 'A page', schema: InboxPage } } },
  countShopUnread: { operationId: 'countShopUnread', method: 'get', path: '/shops/:shopId/notifications/unread-count', appId: app, summary: "How many messages of the shop's inbox are unread",
    responses: { 200: { description: 'Unread', schema: UnreadCount } } },
  readShopNotification: { operationId: 'readShopNotification', method: 'post', path: '/shops/:shopId/notifications/:messageId/read', appId: app, summary: "Mark a message of the shop's inbox read",
    responses: { 200: { description: 'The message', schema: InboxMessage } } },
  archiveShopNotification: { operationId: 'archiveShopNotification', method: 'post', path: '/shops/:shopId/notifications/:messageId/archive', appId: app,
    summary: "Move a message of the shop's inbox to its archive", responses: { 200: { description: 'The message', schema: InboxMessage } } },
  readAllShopNotifications: { operationId: 'readAllShopNotifications', method: 'post', path: '/shops/:shopId/notifications/read-all', appId: app, summary: "Mark every message of the shop's inbox read",
    responses: { 200: { description: 'Marked', schema: ReadAllResult } } },

  listPlatformNotifications: { operationId: 'listPlatformNotifications', method: 'get', path: '/admin/notifications', appId: app,
    summary: "The platform's inbox: what needs an admin (shop and company applications, refunds that failed) (platform admins)", responses: { 200: { description: 'A page', schema: InboxPage } } },
  readPlatformNotification: { operationId: 'readPlatformNotification', method: 'post', path: '/admin/notifications/:messageId/read', appId: app, summary: "Mark a message of the platform's inbox read (platform admins)",
    responses: { 200: { description: 'The message', schema: InboxMessage } } },
  readAllPlatformNotifications: { operationId: 'readAllPlatformNotifications', method: 'post', path: '/admin/notifications/read-all', appId: app,
    summary: "Mark every message of the platform's inbox read (platform admins)", responses: { 200: { description: 'Marked', schema: ReadAllResult } } },

  createBroadcast: { operationId: 'createBroadcast', method: 'post', path: '/admin/broadcasts', appId: app, idempotent: true,
    summary: 'Send a message to an audience (everyone, shoppers, merchants, a company) until it expires: stored once, read by each from there (platform admins)',
    request: CreateBroadcastRequest,
    example: { audience: { kind: 'everyone' }, category: 'announcements', title: { 'zh-CN': '系统维护通知', en: 'Planned maintenance' }, body: { 'zh-CN': '今晚 2:00-3:00 暂停下单。', en: 'Ordering pauses tonight from 2:00 to 3:00.' }, expiresAt: '2099-12-31T00:00:00.000Z' },
    responses: { 201: { description: 'Broadcast', schema: Broadcast } } },
  listBroadcasts: { operationId: 'listBroadcasts', method: 'get', path: '/admin/broadcasts', appId: app, summary: 'Broadcasts, newest first, with how many have read each (platform admins)',
    responses: { 200: { description: 'A page', schema: BroadcastPage } } },
});
export const NotificationOperations: readonly ApiOperation[] = Object.values<ApiOperation>(NotificationPublic);

/** Operations other services call through their sidecars, each with `internal: true` and its `callers`. */
export const NotificationInternal = defineOperations({});
