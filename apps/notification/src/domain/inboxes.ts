import { TRANSACTIONAL_CATEGORIES, NotificationCategory, NotificationChannel, RfmGroup, type Broadcast, type BroadcastPage, type CreateBroadcastRequest, type InboxMessage, type InboxPage, type InboxQuery, type InboxVersion, type Locale, type NotificationPreferences, type PutNotificationPreferences } from '@emporium/contracts';
import { NotFoundError, ValidationError, uuidFromKey, type Principal } from '@emporium/kit';
import { BROADCASTS, inboxKey, type BroadcastRow, type Inbox, type InboxRow } from '../data/notification-repository';
import type { NotificationContext } from './notification-context';
import { isTemplateKey, render } from './templates';

/** A user's inbox: their messages, and the broadcasts to everyone and to each audience their roles place them in. */
export function userInbox(p: Principal): Inbox {
  const kinds = new Set(['everyone']);
  const companyIds = new Set<string>();
  for (const m of p.roles) {
    if (m.role === 'shopper') kinds.add('shoppers');
    if (m.role === 'merchant_owner' || m.role === 'merchant_staff') kinds.add('merchants');
    if ((m.role === 'company_admin' || m.role === 'company_buyer') && m.companyId) companyIds.add(m.companyId);
  }
  return { kind: 'user', userId: p.userId, audiences: { kinds: [...kinds], companyIds: [...companyIds] } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A cursor is the last item's time (to the microsecond) and id; anything else is refused naming `cursor`. */
export function readCursor(cursor: string | undefined): { key: string; id: string } | null {
  if (!cursor) return null;
  const bad = new ValidationError([{ field: 'cursor', code: 'invalid', message: 'not a cursor of this list (ask the first page again)' }]);
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown; id?: unknown };
    if (typeof c.k === 'string' && KEY.test(c.k) && typeof c.id === 'string' && UUID.test(c.id)) return { key: c.k, id: c.id };
  } catch {
    // falls through to the refusal
  }
  throw bad;
}
const writeCursor = (key: string, id: string) => Buffer.from(JSON.stringify({ k: key, id })).toString('base64url');

/** A row as the reader sees it, in their language. */
export function present(row: InboxRow, locale: Locale): InboxMessage {
  let text: { title: string; body: string };
  if (row.kind === 'broadcast') text = { title: row.title?.[locale] ?? '', body: row.body?.[locale] ?? '' };
  else if (row.template && isTemplateKey(row.template)) text = render(row.template, row.params ?? {}, locale);
  else text = { title: row.template ?? '', body: '' };
  return {
    id: row.id,
    kind: row.kind,
    category: row.category,
    ...text,
    link: row.link,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}

export async function listInbox(ctx: NotificationContext, inbox: Inbox, q: InboxQuery): Promise<InboxPage> {
  const rows = await ctx.repo.page(inbox, { unread: q.unread, archived: q.archived, after: readCursor(q.cursor), limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => present(r, q.locale ?? 'zh-CN')),
    nextCursor: rows.length > q.limit && last ? writeCursor(last.createdKey, last.id) : null,
    unread: await ctx.repo.unread(inbox),
  };
}

export async function markOne(ctx: NotificationContext, inbox: Inbox, messageId: string, archive: boolean, locale: Locale): Promise<InboxMessage> {
  if (!UUID.test(messageId) || !(await ctx.repo.mark(inbox, messageId, archive))) throw new NotFoundError('no such message in this inbox');
  const row = await ctx.repo.one(inbox, messageId);
  if (!row) throw new NotFoundError('no such message in this inbox');
  return present(row, locale);
}

export async function preferencesOf(ctx: NotificationContext, userId: string): Promise<NotificationPreferences> {
  const set = new Map((await ctx.repo.preferences(userId)).map((p) => [`${p.category}:${p.channel}`, p]));
  return {
    items: NotificationCategory.options.flatMap((category) =>
      NotificationChannel.options.map((channel) => {
        const locked = TRANSACTIONAL_CATEGORIES.includes(category);
        const saved = set.get(`${category}:${channel}`);
        return { category, channel, enabled: locked ? true : (saved?.enabled ?? true), digest: locked || channel !== 'email' ? 'off' : (saved?.digest ?? 'off'), locked };
      }),
    ),
  };
}

export async function putPreferences(ctx: NotificationContext, userId: string, body: PutNotificationPreferences): Promise<NotificationPreferences> {
  const errors = body.items.flatMap((p, i) =>
    !p.enabled && TRANSACTIONAL_CATEGORIES.includes(p.category)
      ? [{ field: `items[${i}].enabled`, code: 'locked', message: `${p.category} messages about your own orders, money and account always reach you, in the inbox and by e-mail` }]
      : [],
  );
  if (errors.length) throw new ValidationError(errors);
  await ctx.repo.putPreferences(userId, body.items);
  return preferencesOf(ctx, userId);
}

function presentBroadcast(b: BroadcastRow): Broadcast {
  return {
    id: b.id,
    audience: b.audienceKind === 'company' ? { kind: 'company', companyId: b.companyId! } : b.audienceKind === 'tag' ? { kind: 'tag', tag: RfmGroup.parse(b.tag) } : { kind: b.audienceKind },
    category: b.category,
    title: b.title,
    body: b.body,
    link: b.link,
    createdBy: b.createdBy,
    createdAt: b.createdAt.toISOString(),
    expiresAt: b.expiresAt.toISOString(),
    reads: Number(b.reads),
  };
}

/** A broadcast, stored once; its id is named by the admin's Idempotency-Key, so a retry finds the first. */
export async function createBroadcast(ctx: NotificationContext, adminId: string, idempotencyKey: string, body: CreateBroadcastRequest): Promise<Broadcast> {
  const expiresAt = new Date(body.expiresAt);
  if (expiresAt.getTime() <= Date.now()) throw new ValidationError([{ field: 'expiresAt', code: 'past', message: 'a broadcast must expire in the future' }]);
  const row = await ctx.repo.createBroadcast({ id: uuidFromKey('broadcast', adminId, idempotencyKey), audience: body.audience, category: body.category, title: body.title, body: body.body, link: body.link ?? null, createdBy: adminId, expiresAt });
  return presentBroadcast(row);
}

export async function listBroadcasts(ctx: NotificationContext, q: { cursor?: string | undefined; limit: number }): Promise<BroadcastPage> {
  const rows = await ctx.repo.broadcasts({ after: readCursor(q.cursor), limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page.map(presentBroadcast), nextCursor: rows.length > q.limit && last ? writeCursor(last.createdKey, last.id) : null };
}

/**
 * The inbox's version and unread count once the version differs from
 * `after`, or when `waitMs` has passed: a long poll. The watch starts before
 * the version is read, so a change between the two is not missed; a change
 * on another replica wakes it through PostgreSQL's NOTIFY.
 */
export async function waitForChange(ctx: NotificationContext, inbox: Inbox, after: string | undefined, waitMs: number): Promise<InboxVersion> {
  const keys = inbox.kind === 'user' ? [inboxKey(inbox), BROADCASTS] : [inboxKey(inbox)];
  const watches = await Promise.all(keys.map((k) => ctx.changes.watch(k)));
  try {
    const deadline = Date.now() + waitMs;
    let version = await ctx.repo.versionOf(inbox);
    while (after !== undefined && version === after && Date.now() < deadline) {
      const woken = await Promise.race(watches.map((w, i) => w.next(Math.max(0, deadline - Date.now())).then(() => keys[i])));
      // a broadcast wakes every reader at once: each re-reads a moment later, spread at random, never past its deadline
      if (woken === BROADCASTS && ctx.broadcastSpreadMs > 0) await new Promise((r) => setTimeout(r, Math.min(Math.random() * ctx.broadcastSpreadMs, Math.max(0, deadline - Date.now()))));
      version = await ctx.repo.versionOf(inbox);
    }
    return { version, unread: await ctx.repo.unread(inbox) };
  } finally {
    for (const w of watches) w.close();
  }
}
