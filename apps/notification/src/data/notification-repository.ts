import type { BilingualText, BroadcastAudience, EmailDigest, NotificationCategory, NotificationChannel } from '@emporium/contracts';
import { notifyChange, type Database, type Transaction } from '@emporium/kit';

/** The channel of PostgreSQL's NOTIFY that says an inbox (or the broadcasts) changed; the key is the inbox's. */
export const INBOX_CHANGED = 'notification_inbox_changed';
export const BROADCASTS = 'broadcasts';

/** An inbox: a user's (with the audiences whose broadcasts they read), a shop's, or the platform's. */
export type Inbox = { kind: 'user'; userId: string; audiences: { kinds: string[]; companyIds: string[] } } | { kind: 'shop'; shopId: string } | { kind: 'platform' };

export const inboxKey = (inbox: Inbox): string => (inbox.kind === 'user' ? `user:${inbox.userId}` : inbox.kind === 'shop' ? `shop:${inbox.shopId}` : 'platform');

/** A message to write: to one inbox, by template, from one event. */
export interface NewMessage {
  id: string;
  inbox: string;
  category: NotificationCategory;
  template: string;
  params: Record<string, unknown>;
  link: string | null;
  source: string;
  /** a user's inbox skips it when they switched its category off there */
  userId: string | null;
  /** a shop's message about one of its staff (who joined): e-mailed to the others only */
  exceptUserId?: string | undefined;
  transactional: boolean;
}

export interface InboxRow {
  id: string;
  kind: 'message' | 'broadcast';
  category: NotificationCategory;
  template: string | null;
  params: Record<string, unknown> | null;
  title: BilingualText | null;
  body: BilingualText | null;
  link: string | null;
  createdAt: Date;
  /** created_at to the microsecond, for cursors */
  createdKey: string;
  readAt: Date | null;
  archivedAt: Date | null;
}

export interface DueEmail {
  messageId: string;
  /** one of the three: a user, a shop (its staff), an address */
  userId: string | null;
  shopId: string | null;
  /** a shop's e-mail: the member it is about, who does not get it */
  exceptUserId?: string | null;
  address: string | null;
  category: string | null;
  /** the digest it waited in, if any */
  digest: 'hourly' | 'daily' | null;
  attempts: number;
  createdAt?: Date;
  template: string;
  params: Record<string, unknown>;
  link: string | null;
}

export interface BroadcastRow {
  id: string;
  audienceKind: BroadcastAudience['kind'];
  companyId: string | null;
  tag: string | null;
  category: NotificationCategory;
  title: BilingualText;
  body: BilingualText;
  link: string | null;
  createdBy: string;
  createdAt: Date;
  createdKey: string;
  expiresAt: Date;
  reads: string;
}

const json = (x: unknown) => JSON.stringify(x);
const KEY = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * notification's tables (its own schema; no other service reads them). Every
 * SQL string of the service is here; records come back camelCase.
 */
export class NotificationRepository {
  constructor(
    private readonly db: Database,
    /** how long a digest window stays open after its first e-mail */
    private readonly digestSeconds: { hourly: number; daily: number } = { hourly: 3_600, daily: 86_400 },
  ) {}

  /**
   * An e-mail to a user, unless they switched the category's e-mail off
   * (transactional ones always go). A category they gather into a digest
   * joins their open window of that digest (its end is the first row's), or
   * opens one; everything else is due at once. Once per id.
   */
  async userEmail(e: { id: string; userId: string; category: string; transactional: boolean; template: string; params: Record<string, unknown>; link: string | null }, t: Transaction): Promise<number> {
    return this.db.run(
      `INSERT INTO emails (message_id, user_id, category, template, params, link, digest, next_at)
       SELECT :id, :userId::uuid, :category, :template, :params::jsonb, :link, d.digest,
              CASE WHEN d.digest IS NULL THEN clock_timestamp()
                   ELSE COALESCE((SELECT min(o.next_at) FROM emails o WHERE o.user_id = :userId::uuid AND o.digest = d.digest AND o.status = 'pending' AND o.attempts = 0),
                                 clock_timestamp() + make_interval(secs => CASE d.digest WHEN 'hourly' THEN :hourly::int ELSE :daily::int END)) END
         FROM (SELECT CASE WHEN :transactional THEN NULL
                           ELSE (SELECT NULLIF(p.digest, 'off') FROM preferences p WHERE p.user_id = :userId::uuid AND p.category = :category AND p.channel = 'email') END AS digest) d
        WHERE :transactional OR NOT EXISTS (
                SELECT 1 FROM preferences p WHERE p.user_id = :userId::uuid AND p.category = :category AND p.channel = 'email' AND NOT p.enabled)
       ON CONFLICT DO NOTHING`,
      { ...e, params: json(e.params), hourly: this.digestSeconds.hourly, daily: this.digestSeconds.daily },
      t,
    );
  }

  /** An e-mail to an address that may belong to nobody yet (an invitation), in both languages. Once per id. */
  async addressEmail(e: { id: string; address: string; category: string; template: string; params: Record<string, unknown>; link: string | null }, t: Transaction): Promise<void> {
    await this.db.run(
      'INSERT INTO emails (message_id, address, category, template, params, link) VALUES (:id, :address, :category, :template, :params::jsonb, :link) ON CONFLICT DO NOTHING',
      { ...e, params: json(e.params) },
      t,
    );
  }

  /**
   * Writes messages once each (their ids are named by event, inbox and
   * template); a user's message in a category they switched off in the inbox
   * is not written, unless it is transactional. The number written.
   */
  async deliver(messages: readonly NewMessage[], t: Transaction): Promise<number> {
    let written = 0;
    for (const m of messages) {
      const n = await this.db.run(
        `INSERT INTO messages (id, inbox, category, template, params, link, source)
         SELECT :id, :inbox, :category, :template, :params::jsonb, :link, :source
          WHERE :transactional OR :userId::uuid IS NULL OR NOT EXISTS (
                  SELECT 1 FROM preferences p WHERE p.user_id = :userId::uuid AND p.category = :category AND p.channel = 'in_app' AND NOT p.enabled)
         ON CONFLICT DO NOTHING`,
        { ...m, params: json(m.params) },
        t,
      );
      written += n;
      // and by e-mail, when the category may reach the user so, whether or not it reaches their inbox
      // (each message's e-mail once: the message's id names it)
      if (m.userId) await this.userEmail({ id: m.id, userId: m.userId, category: m.category, transactional: m.transactional, template: m.template, params: m.params, link: m.link }, t);
      // a shop's message: one row now, one per member of its staff when it is sent (who they are is the shop service's to say then)
      else if (m.inbox.startsWith('shop:')) {
        await this.db.run(
          `INSERT INTO emails (message_id, shop_id, except_user_id, category, template, params, link) VALUES (:id, :shopId::uuid, :exceptUserId::uuid, :category, :template, :params::jsonb, :link) ON CONFLICT DO NOTHING`,
          { id: m.id, shopId: m.inbox.slice('shop:'.length), exceptUserId: m.exceptUserId ?? null, category: m.category, template: m.template, params: json(m.params), link: m.link },
          t,
        );
      }
    }
    if (written > 0) await this.changed([...new Set(messages.map((m) => m.inbox))], t);
    return written;
  }

  /** Gives each inbox (or BROADCASTS) a new version and wakes whoever waits for it, once `t` commits. */
  async changed(keys: readonly string[], t: Transaction): Promise<void> {
    // always in the same order, so two handlers touching the same inboxes never wait on each other in a circle
    for (const inbox of [...new Set(keys)].sort()) {
      await this.db.run(
        `INSERT INTO inbox_versions AS v (inbox, version) VALUES (:inbox, nextval('inbox_changes'))
         ON CONFLICT (inbox) DO UPDATE SET version = nextval('inbox_changes')`,
        { inbox },
        t,
      );
      await notifyChange(this.db, INBOX_CHANGED, inbox, t);
    }
  }

  /** The inbox's version: its own and, for a user, the broadcasts' (`12-7`). */
  async versionOf(inbox: Inbox): Promise<string> {
    const [row] = await this.db.select<{ own: string; broadcasts: string }>(
      `SELECT COALESCE((SELECT version FROM inbox_versions WHERE inbox = :key), 0)::text AS own,
              COALESCE((SELECT version FROM inbox_versions WHERE inbox = :broadcasts), 0)::text AS broadcasts`,
      { key: inboxKey(inbox), broadcasts: BROADCASTS },
    );
    return `${row?.own ?? '0'}-${inbox.kind === 'user' ? (row?.broadcasts ?? '0') : '0'}`;
  }

  // the inbox of a user holds their messages and the live broadcasts of their audiences, each with the user's own read state

  private union(inbox: Inbox, params: Record<string, unknown>): string {
    params.inbox = inboxKey(inbox);
    const messages = `SELECT id, 'message' AS kind, category, template, params, NULL::jsonb AS title, NULL::jsonb AS body, link, created_at, read_at, archived_at
                        FROM messages WHERE inbox = :inbox`;
    if (inbox.kind !== 'user') return messages;
    params.userId = inbox.userId;
    params.kinds = json(inbox.audiences.kinds);
    params.companyIds = json(inbox.audiences.companyIds);
    return `${messages}
      UNION ALL
      SELECT b.id, 'broadcast', b.category, NULL, NULL, b.title, b.body, b.link, b.created_at, r.read_at, r.archived_at
        FROM broadcasts b LEFT JOIN broadcast_reads r ON r.broadcast_id = b.id AND r.user_id = :userId
       WHERE b.expires_at > clock_timestamp()
         AND NOT EXISTS (SELECT 1 FROM preferences p WHERE p.user_id = :userId AND p.category = b.category AND p.channel = 'in_app' AND NOT p.enabled)
         AND (b.audience_kind IN (SELECT jsonb_array_elements_text(:kinds::jsonb))
              OR (b.audience_kind = 'company' AND b.company_id IN (SELECT jsonb_array_elements_text(:companyIds::jsonb)::uuid))
              OR (b.audience_kind = 'tag' AND b.tag = (SELECT s.rfm FROM user_segments s WHERE s.user_id = :userId)))`;
  }

  /** A page of an inbox, newest first, after the cursor's (created_at, id). */
  async page(inbox: Inbox, q: { unread?: boolean | undefined; archived?: boolean | undefined; after: { key: string; id: string } | null; limit: number }): Promise<InboxRow[]> {
    const params: Record<string, unknown> = { limit: q.limit };
    const where = [q.archived ? 'archived_at IS NOT NULL' : 'archived_at IS NULL'];
    if (q.unread) where.push('read_at IS NULL');
    if (q.after) {
      where.push('(created_at, id) < (:afterKey::timestamptz, :afterId::uuid)');
      params.afterKey = q.after.key;
      params.afterId = q.after.id;
    }
    return this.db.select<InboxRow>(
      `SELECT id, kind, category, template, params, title, body, link, created_at, ${KEY} AS created_key, read_at, archived_at
         FROM (${this.union(inbox, params)}) x
        WHERE ${where.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT :limit`,
      params,
    );
  }

  async unread(inbox: Inbox): Promise<number> {
    const params: Record<string, unknown> = {};
    const [row] = await this.db.select<{ n: string }>(`SELECT count(*) AS n FROM (${this.union(inbox, params)}) x WHERE read_at IS NULL AND archived_at IS NULL`, params);
    return Number(row?.n ?? 0);
  }

  async one(inbox: Inbox, id: string): Promise<InboxRow | undefined> {
    const params: Record<string, unknown> = { id };
    const [row] = await this.db.select<InboxRow>(
      `SELECT id, kind, category, template, params, title, body, link, created_at, ${KEY} AS created_key, read_at, archived_at
         FROM (${this.union(inbox, params)}) x WHERE id = :id`,
      params,
    );
    return row;
  }

  /**
   * Marks one message of the inbox read (and archived): a message's own row,
   * or the reader's row of a broadcast, written now. False when the inbox
   * holds no such message.
   */
  async mark(inbox: Inbox, id: string, archive: boolean): Promise<boolean> {
    return this.db.transaction(async (t) => {
      const n = await this.db.run(
        `UPDATE messages SET read_at = COALESCE(read_at, clock_timestamp()) ${archive ? ', archived_at = COALESCE(archived_at, clock_timestamp())' : ''}
          WHERE id = :id AND inbox = :inbox`,
        { id, inbox: inboxKey(inbox) },
        t,
      );
      if (n > 0) await this.changed([inboxKey(inbox)], t);
      if (n > 0 || inbox.kind !== 'user') return n > 0;
      const params: Record<string, unknown> = { id };
      const live = await this.db.select<{ id: string }>(`SELECT id FROM (${this.union(inbox, params)}) x WHERE id = :id AND kind = 'broadcast'`, params, t);
      if (live.length === 0) return false;
      await this.db.run(
        `INSERT INTO broadcast_reads AS r (broadcast_id, user_id, read_at, archived_at) VALUES (:id, :userId, clock_timestamp(), ${archive ? 'clock_timestamp()' : 'NULL'})
         ON CONFLICT (user_id, broadcast_id) DO UPDATE SET archived_at = COALESCE(r.archived_at, EXCLUDED.archived_at)`,
        { id, userId: inbox.userId },
        t,
      );
      await this.changed([inboxKey(inbox)], t);
      return true;
    });
  }

  /** Marks every unread message of the inbox read: how many were. */
  async markAll(inbox: Inbox): Promise<number> {
    return this.db.transaction(async (t) => {
      let n = await this.db.run('UPDATE messages SET read_at = clock_timestamp() WHERE inbox = :inbox AND read_at IS NULL', { inbox: inboxKey(inbox) }, t);
      if (inbox.kind === 'user') {
        const params: Record<string, unknown> = {};
        n += await this.db.run(
          `INSERT INTO broadcast_reads (broadcast_id, user_id, read_at)
           SELECT id, :userId, clock_timestamp() FROM (${this.union(inbox, params)}) x WHERE kind = 'broadcast' AND read_at IS NULL
           ON CONFLICT (user_id, broadcast_id) DO NOTHING`,
          params,
          t,
        );
      }
      if (n > 0) await this.changed([inboxKey(inbox)], t);
      return n;
    });
  }

  async preferences(userId: string): Promise<{ category: string; channel: NotificationChannel; enabled: boolean; digest: EmailDigest }[]> {
    return this.db.select<{ category: string; channel: NotificationChannel; enabled: boolean; digest: EmailDigest }>('SELECT category, channel, enabled, digest FROM preferences WHERE user_id = :userId', { userId });
  }

  async putPreferences(userId: string, items: readonly { category: string; channel: NotificationChannel; enabled: boolean; digest?: EmailDigest | undefined }[]): Promise<void> {
    await this.db.transaction(async (t) => {
      for (const p of items) {
        await this.db.run(
          `INSERT INTO preferences (user_id, category, channel, enabled, digest) VALUES (:userId, :category, :channel, :enabled, :digest)
           ON CONFLICT (user_id, category, channel) DO UPDATE SET enabled = EXCLUDED.enabled, digest = EXCLUDED.digest`,
          { userId, category: p.category, channel: p.channel, enabled: p.enabled, digest: p.digest ?? 'off' },
          t,
        );
        // a category no longer gathered: what waits in its window goes out with the next pass, one by one
        // (or not at all, when its e-mail is switched off)
        if (p.channel === 'email' && (p.digest ?? 'off') === 'off') {
          await this.db.run(
            `UPDATE emails SET digest = NULL, next_at = clock_timestamp(),
                    status = CASE WHEN :enabled THEN status ELSE 'skipped' END, last_error = CASE WHEN :enabled THEN last_error ELSE 'switched off' END
              WHERE user_id = :userId AND category = :category AND status = 'pending' AND digest IS NOT NULL AND attempts = 0`,
            { userId, category: p.category, enabled: p.enabled },
            t,
          );
        }
      }
    });
  }

  async createBroadcast(b: { id: string; audience: BroadcastAudience; category: string; title: BilingualText; body: BilingualText; link: string | null; createdBy: string; expiresAt: Date }): Promise<BroadcastRow> {
    await this.db.transaction(async (t) => {
      const n = await this.db.run(
        `INSERT INTO broadcasts (id, audience_kind, company_id, tag, category, title, body, link, created_by, expires_at)
         VALUES (:id, :kind, :companyId, :tag, :category, :title::jsonb, :body::jsonb, :link, :createdBy, :expiresAt)
         ON CONFLICT (id) DO NOTHING`,
        { ...b, kind: b.audience.kind, companyId: b.audience.kind === 'company' ? b.audience.companyId : null, tag: b.audience.kind === 'tag' ? b.audience.tag : null, title: json(b.title), body: json(b.body) },
        t,
      );
      if (n > 0) await this.changed([BROADCASTS], t);
    });
    return (await this.broadcasts({ id: b.id, after: null, limit: 1 }))[0]!;
  }

  /** Broadcasts newest first, with how many readers marked each read. */
  async broadcasts(q: { id?: string; after: { key: string; id: string } | null; limit: number }): Promise<BroadcastRow[]> {
    const where = ['true'];
    const params: Record<string, unknown> = { limit: q.limit };
    if (q.id) {
      where.push('b.id = :id');
      params.id = q.id;
    }
    if (q.after) {
      where.push('(b.created_at, b.id) < (:afterKey::timestamptz, :afterId::uuid)');
      params.afterKey = q.after.key;
      params.afterId = q.after.id;
    }
    return this.db.select<BroadcastRow>(
      `SELECT b.id, b.audience_kind, b.company_id, b.tag, b.category, b.title, b.body, b.link, b.created_by, b.created_at,
              to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key, b.expires_at,
              (SELECT count(*) FROM broadcast_reads r WHERE r.broadcast_id = b.id)::text AS reads
         FROM broadcasts b WHERE ${where.join(' AND ')}
        ORDER BY b.created_at DESC, b.id DESC LIMIT :limit`,
      params,
    );
  }

  // who orders and companies belong to, as the events that named both told

  async rememberOrder(orderId: string, buyerUserId: string, t: Transaction): Promise<void> {
    await this.db.run('INSERT INTO orders (order_id, buyer_user_id) VALUES (:orderId, :buyerUserId) ON CONFLICT DO NOTHING', { orderId, buyerUserId }, t);
  }

  async buyerOf(orderId: string, t: Transaction): Promise<string | null> {
    const [row] = await this.db.select<{ buyer_user_id: string }>('SELECT buyer_user_id FROM orders WHERE order_id = :orderId', { orderId }, t);
    return row?.buyerUserId ?? null;
  }

  async rememberCompany(companyId: string, adminUserId: string, t: Transaction): Promise<void> {
    await this.db.run('INSERT INTO companies (company_id, admin_user_id) VALUES (:companyId, :adminUserId) ON CONFLICT DO NOTHING', { companyId, adminUserId }, t);
  }

  async adminOf(companyId: string, t: Transaction): Promise<string | null> {
    const [row] = await this.db.select<{ admin_user_id: string }>('SELECT admin_user_id FROM companies WHERE company_id = :companyId', { companyId }, t);
    return row?.adminUserId ?? null;
  }

  /**
   * Buyers' tags as analytics computed them at `computedAt`: a change older
   * than the one kept is ignored. The users whose tag changed here.
   */
  async putSegments(changes: readonly { userId: string; rfm: string | null }[], computedAt: Date, t: Transaction): Promise<string[]> {
    const rows = await this.db.select<{ user_id: string }>(
      `WITH input AS (SELECT DISTINCT ON (user_id) user_id, rfm FROM (SELECT (x->>'userId')::uuid AS user_id, x->>'rfm' AS rfm FROM jsonb_array_elements(:changes::jsonb) x) i),
            old AS (SELECT s.user_id, s.rfm FROM user_segments s JOIN input USING (user_id)),
            up AS (INSERT INTO user_segments AS s (user_id, rfm, computed_at) SELECT user_id, rfm, :computedAt FROM input
                   ON CONFLICT (user_id) DO UPDATE SET rfm = EXCLUDED.rfm, computed_at = EXCLUDED.computed_at WHERE s.computed_at < EXCLUDED.computed_at
                   RETURNING s.user_id, s.rfm)
       SELECT up.user_id FROM up LEFT JOIN old USING (user_id) WHERE old.rfm IS DISTINCT FROM up.rfm`,
      { changes: json(changes), computedAt },
      t,
    );
    return rows.map((r) => r.userId);
  }

  /** Whether a live broadcast is addressed to a tag (a tag change then changes what its users read). */
  async liveTagBroadcasts(t: Transaction): Promise<boolean> {
    const rows = await this.db.select<{ id: string }>("SELECT id FROM broadcasts WHERE audience_kind = 'tag' AND expires_at > clock_timestamp() LIMIT 1", {}, t);
    return rows.length > 0;
  }

  // e-mails: leased a while when taken, so two replicas never send one twice at once

  /** Up to `limit` e-mails due (not those of a digest), each leased for `leaseSeconds`, with its message. */
  async takeDueEmails(limit: number, leaseSeconds: number): Promise<DueEmail[]> {
    return this.db.select<DueEmail>(
      `WITH due AS (
         SELECT message_id FROM emails WHERE status = 'pending' AND digest IS NULL AND next_at <= clock_timestamp() ORDER BY next_at LIMIT :limit FOR UPDATE SKIP LOCKED)
       UPDATE emails e SET next_at = clock_timestamp() + make_interval(secs => :leaseSeconds), attempts = e.attempts + 1
         FROM due WHERE e.message_id = due.message_id
       RETURNING e.message_id, e.user_id, e.shop_id, e.except_user_id, e.address, e.category, e.digest, e.attempts, e.template, e.params, e.link`,
      { limit, leaseSeconds },
    );
  }

  /**
   * The e-mails of one digest whose window has closed (one user, one
   * period), oldest first, leased together for `leaseSeconds`; none when no
   * window is due. A row another sender leased meanwhile is not taken twice
   * (its `next_at` moved past now before this update saw it).
   */
  async takeDueDigest(leaseSeconds: number): Promise<DueEmail[]> {
    return this.db.transaction(async (t) => {
      const [due] = await this.db.select<{ user_id: string; digest: string }>(
        `SELECT user_id, digest FROM emails WHERE status = 'pending' AND digest IS NOT NULL AND next_at <= clock_timestamp() ORDER BY next_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        {},
        t,
      );
      if (!due) return [];
      return this.db.select<DueEmail>(
        `UPDATE emails e SET next_at = clock_timestamp() + make_interval(secs => :leaseSeconds), attempts = e.attempts + 1
          WHERE e.user_id = :userId AND e.digest = :digest AND e.status = 'pending' AND e.next_at <= clock_timestamp()
         RETURNING e.message_id, e.user_id, e.shop_id, e.except_user_id, e.address, e.category, e.digest, e.attempts, e.template, e.params, e.link, e.created_at`,
        { userId: due.userId, digest: due.digest, leaseSeconds },
        t,
      ).then((rows) => rows.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0)));
    });
  }

  /**
   * A shop's e-mail turned into one per member of its staff (each by their
   * own settings, as for their own messages), and marked done, in one
   * transaction; only by the lease that took it. The number written.
   */
  async fanOutShopEmail(e: DueEmail, staff: readonly { id: string; userId: string }[], transactional: boolean): Promise<number> {
    return this.db.transaction(async (t) => {
      const [mine] = await this.db.select<{ message_id: string }>("SELECT message_id FROM emails WHERE message_id = :id AND status = 'pending' AND attempts = :attempts FOR UPDATE", { id: e.messageId, attempts: e.attempts }, t);
      if (!mine) return 0;
      let n = 0;
      for (const s of staff) n += await this.userEmail({ id: s.id, userId: s.userId, category: e.category ?? 'shop', transactional, template: e.template, params: e.params, link: e.link }, t);
      await this.db.run("UPDATE emails SET status = 'sent', sent_at = clock_timestamp(), last_error = :note WHERE message_id = :id", { id: e.messageId, note: `to ${n} of ${staff.length} staff` }, t);
      return n;
    });
  }

  /** Marks an e-mail done (sent, or skipped with why): only by the lease that took it (attempts unchanged since). */
  async emailDone(messageId: string, attempts: number, status: 'sent' | 'skipped', note: string | null = null): Promise<void> {
    await this.db.run("UPDATE emails SET status = :status, sent_at = clock_timestamp(), last_error = :note WHERE message_id = :messageId AND status = 'pending' AND attempts = :attempts", { messageId, attempts, status, note });
  }

  /** A failed send: tried again after 2^attempts seconds (at most an hour), given up after `maxAttempts`. */
  async emailFailed(messageId: string, attempts: number, error: string, maxAttempts: number): Promise<void> {
    await this.db.run(
      `UPDATE emails SET last_error = :error,
              status = CASE WHEN attempts >= :maxAttempts THEN 'failed' ELSE 'pending' END,
              next_at = clock_timestamp() + make_interval(secs => LEAST(3600, power(2, LEAST(attempts, 12)))::int)
        WHERE message_id = :messageId AND status = 'pending' AND attempts = :attempts`,
      { messageId, error: error.slice(0, 500), maxAttempts, attempts },
    );
  }
}
