import { z } from 'zod';
import { bilingual } from './i18n';
import { Locale } from './identity';
import { RfmGroup } from './analytics';

const Count = z.number().int().min(0);

/**
 * What a message is about; preferences are set per category and channel.
 * Transactional categories (what happened to the reader's own orders, money
 * and account) always arrive, in the inbox and by e-mail: they cannot be
 * switched off.
 */
export const NotificationCategory = z.enum(['orders', 'payments', 'refunds', 'shipping', 'account', 'group_buys', 'shop', 'stock', 'announcements', 'promotions']);
export type NotificationCategory = z.infer<typeof NotificationCategory>;
export const TRANSACTIONAL_CATEGORIES: readonly NotificationCategory[] = ['orders', 'payments', 'refunds', 'shipping', 'account'];

export const NotificationChannel = z.enum(['in_app', 'email']);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

/** One message of an inbox, in the language asked: a message to its inbox alone, or a broadcast read by many. */
export const InboxMessage = z
  .object({
    id: z.uuid(),
    kind: z.enum(['message', 'broadcast']),
    category: NotificationCategory,
    title: z.string(),
    body: z.string(),
    /** where in the platform it leads (a path of web, without the language), if anywhere */
    link: z.string().nullable(),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
    archivedAt: z.iso.datetime().nullable(),
  })
  .strict();
export type InboxMessage = z.infer<typeof InboxMessage>;

export const InboxPage = z
  .object({
    items: z.array(InboxMessage),
    /** the next page (older messages), null at the end */
    nextCursor: z.string().nullable(),
    /** unread messages of the inbox, all pages */
    unread: Count,
  })
  .strict();
export type InboxPage = z.infer<typeof InboxPage>;

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
export const InboxQuery = z
  .object({
    /** the language to render in (default zh-CN) */
    locale: Locale.optional(),
    /** only unread (true) */
    unread: flag.optional(),
    /** archived messages instead of the inbox (true) */
    archived: flag.optional(),
    cursor: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type InboxQuery = z.infer<typeof InboxQuery>;

export const UnreadCount = z.object({ unread: Count }).strict();

/** What changed-or-not answers: the inbox's version (changes whenever a message arrives or is read) and its unread count. */
export const InboxVersion = z.object({ version: z.string().regex(/^\d{1,19}-\d{1,19}$/), unread: Count }).strict();
export type InboxVersion = z.infer<typeof InboxVersion>;
export const InboxChangesQuery = z
  .object({
    /** the version the client has: the answer waits until the inbox has another (none: answers at once) */
    after: z.string().regex(/^\d{1,19}-\d{1,19}$/).optional(),
    /** how long to wait for a change, at most (below the platform's 10 s invocation timeout) */
    waitMs: z.coerce.number().int().min(0).max(8_000).default(8_000),
  })
  .strict();
export type InboxChangesQuery = z.infer<typeof InboxChangesQuery>;
export type UnreadCount = z.infer<typeof UnreadCount>;

export const ReadAllResult = z.object({ marked: Count.describe('messages and broadcasts marked read') }).strict();
export type ReadAllResult = z.infer<typeof ReadAllResult>;

/**
 * How a category's e-mails come: each at once, or gathered into one e-mail an
 * hour or a day after the first of them (a digest). Only e-mail can be
 * gathered, and only what is not transactional: what happened to the
 * reader's own orders, money and account is never held back.
 */
export const EmailDigest = z.enum(['off', 'hourly', 'daily']);
export type EmailDigest = z.infer<typeof EmailDigest>;

export const NotificationPreference = z
  .object({
    category: NotificationCategory,
    channel: NotificationChannel,
    enabled: z.boolean(),
    /** e-mail only: one e-mail per hour or day for the category instead of one per message ('off' for in_app and transactional categories) */
    digest: EmailDigest,
    /** transactional: always on, never gathered into a digest */
    locked: z.boolean(),
  })
  .strict();
export const NotificationPreferences = z.object({ items: z.array(NotificationPreference) }).strict();
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

export const PutNotificationPreferences = z
  .object({
    items: z
      .array(
        z
          .object({ category: NotificationCategory, channel: NotificationChannel, enabled: z.boolean(), digest: EmailDigest.optional().describe("e-mail of a category that is not transactional only; left out: 'off'") })
          .strict()
          .superRefine((p, ctx) => {
            if (!p.digest || p.digest === 'off') return;
            if (p.channel !== 'email') ctx.addIssue({ code: 'custom', path: ['digest'], message: 'only e-mail can be gathered into a digest' });
            else if (TRANSACTIONAL_CATEGORIES.includes(p.category)) ctx.addIssue({ code: 'custom', path: ['digest'], message: 'a transactional category is sent at once, never in a digest' });
          }),
      )
      .min(1)
      .max(NotificationCategory.options.length * NotificationChannel.options.length),
  })
  .strict();
export type PutNotificationPreferences = z.infer<typeof PutNotificationPreferences>;

/**
 * Who a broadcast is for; a user reads the broadcasts of every audience their
 * roles place them in, and of the user tag analytics gives them (their RFM
 * group, recomputed as they buy: who is in a tag's audience changes with it).
 */
export const BroadcastAudience = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('everyone') }).strict(),
  z.object({ kind: z.literal('shoppers') }).strict(),
  z.object({ kind: z.literal('merchants') }).strict(),
  z.object({ kind: z.literal('company'), companyId: z.uuid() }).strict(),
  z.object({ kind: z.literal('tag'), tag: RfmGroup }).strict(),
]);
export type BroadcastAudience = z.infer<typeof BroadcastAudience>;

export const CreateBroadcastRequest = z
  .object({
    audience: BroadcastAudience,
    category: z.enum(['announcements', 'promotions']).default('announcements'),
    title: bilingual(120),
    body: bilingual(2000),
    link: z
      .string()
      .max(300)
      .regex(/^\/(?!\/)[^\s]*$/, 'a path of the platform, starting with one /')
      .optional(),
    /** when it leaves every inbox (in the future) */
    expiresAt: z.iso.datetime(),
  })
  .strict();
export type CreateBroadcastRequest = z.infer<typeof CreateBroadcastRequest>;

export const Broadcast = z
  .object({
    id: z.uuid(),
    audience: BroadcastAudience,
    category: NotificationCategory,
    title: bilingual(120),
    body: bilingual(2000),
    link: z.string().nullable(),
    createdBy: z.uuid(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    /** readers who marked it read (the broadcast itself is stored once, never per reader) */
    reads: Count,
  })
  .strict();
export type Broadcast = z.infer<typeof Broadcast>;
export const BroadcastPage = z.object({ items: z.array(Broadcast), nextCursor: z.string().nullable() }).strict();
export type BroadcastPage = z.infer<typeof BroadcastPage>;
export const BroadcastQuery = z.object({ cursor: z.string().min(1).max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();
