import { IdentityInternal, Locale, ShopInternal, TRANSACTIONAL_CATEGORIES, type NotificationCategory, type UserContact } from '@emporium/contracts';
import { InvocationError, uuidFromKey, type Logger, type PeriodicTask, type Sidecar } from '@emporium/kit';
import type { DueEmail, NotificationRepository } from '../data/notification-repository';
import { isTemplateKey, render, renderDigest } from './templates';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const OPEN: Record<Locale, string> = { 'zh-CN': '查看详情', en: 'Open' };

/** A message rendered for one reader: its words and where its link leads in their language. */
type Rendered = { title: string; body: string; href: string | null };

/** 404 from a peer means "no such one": null; anything else is thrown (tried again later). */
const orNull = <T>(p: Promise<T>): Promise<T | null> =>
  p.catch((err: unknown) => {
    if (err instanceof InvocationError && err.status === 404) return null;
    throw err;
  });

/**
 * Sends the e-mails due through Dapr's SMTP output binding. Four kinds:
 * - to a user, in their language (identity knows it and the address);
 * - to a shop: turned, when due, into one e-mail per member of its staff
 *   (the shop service says who), each then sent as a user's;
 * - to an address nobody may own yet (an invitation): in both languages;
 * - a digest: a user's e-mails of one category set gathered over a window,
 *   sent as one when the window closes.
 * A user without an address is skipped; a failure is tried again later (the
 * row's lease and back-off). At least once: a crash between the send and
 * its mark sends it again, never loses it.
 */
export function emailTask(opts: { repo: NotificationRepository; sidecar: Sidecar; logger: Logger; binding: string; everyMs: number; batch: number; maxAttempts: number; webUrl: string }): PeriodicTask & { drain(): Promise<number> } {
  const { repo, sidecar, logger } = opts;
  const href = (link: string | null, locale: Locale) => (link ? `${opts.webUrl.replace(/\/$/, '')}/${locale}${link}` : null);
  const renderFor = (e: DueEmail, locale: Locale): Rendered | null => (isTemplateKey(e.template) ? { ...render(e.template, e.params, locale), href: href(e.link, locale) } : null);
  const paragraph = (r: Rendered, locale: Locale) => `<p lang="${locale}">${escape(r.body)}</p>${r.href ? `<p><a href="${escape(r.href)}">${OPEN[locale]}</a></p>` : ''}`;
  const send = (to: string, subject: string, html: string) => sidecar.invokeBinding(opts.binding, 'create', html, { emailTo: to, subject });
  const contactOf = (userId: string) => orNull<UserContact>(sidecar.call(IdentityInternal.userContact, { params: { userId } }));

  /** One e-mail of a row; what became of it, for the row's mark. */
  const sendOne = async (e: DueEmail): Promise<{ status: 'sent' | 'skipped'; note?: string }> => {
    if (e.shopId) {
      const staff = await orNull(sidecar.call(ShopInternal.shopStaffIds, { params: { shopId: e.shopId } }));
      if (!staff) return { status: 'skipped', note: 'no such shop' };
      const transactional = TRANSACTIONAL_CATEGORIES.includes((e.category ?? 'shop') as NotificationCategory);
      // one row per member, named by the shop's e-mail and the member: a second pass writes none again
      await repo.fanOutShopEmail(e, staff.items.filter((m) => m.userId !== e.exceptUserId).map((m) => ({ id: uuidFromKey('shop-email', e.messageId, m.userId), userId: m.userId })), transactional);
      return { status: 'sent', note: 'fanned out' };
    }
    if (e.address) {
      // whoever reads it has told us no language: both, the platform's first
      const parts = Locale.options.map((l) => [l, renderFor(e, l)] as const);
      if (parts.some(([, r]) => !r)) return { status: 'skipped', note: `unknown template ${e.template}` };
      await send(e.address, parts.map(([, r]) => r!.title).join(' · '), parts.map(([l, r]) => paragraph(r!, l)).join('<hr>'));
      return { status: 'sent' };
    }
    const contact = await contactOf(e.userId!);
    if (!contact?.email) return { status: 'skipped', note: contact ? 'no e-mail address' : 'no such user' };
    const r = renderFor(e, contact.locale);
    if (!r) return { status: 'skipped', note: `unknown template ${e.template}` };
    await send(contact.email, r.title, paragraph(r, contact.locale));
    return { status: 'sent' };
  };

  const drainSingles = async (): Promise<number> => {
    let sent = 0;
    // one at a time, each under its own lease: a slow relay never lets a lease run out on e-mails still waiting in a batch
    for (let i = 0; i < opts.batch; i++) {
      const [e] = await repo.takeDueEmails(1, 60);
      if (!e) break;
      try {
        const outcome = await sendOne(e);
        // a shop's row was marked by its fan-out, in the same transaction as the rows it made
        if (!e.shopId || outcome.status === 'skipped') await repo.emailDone(e.messageId, e.attempts, outcome.status, outcome.note ?? null);
        if (outcome.status === 'sent' && !e.shopId) sent++;
      } catch (err) {
        logger.warn({ err, messageId: e.messageId, attempts: e.attempts }, 'an e-mail was not sent; it is tried again later');
        await repo.emailFailed(e.messageId, e.attempts, err instanceof Error ? err.message : String(err), opts.maxAttempts).catch((markErr: unknown) => logger.warn({ err: markErr }, 'an e-mail failure could not be noted; its lease runs out and it is tried again'));
      }
    }
    return sent;
  };

  /** Digests whose window closed, one e-mail each, listing its messages oldest first. */
  const drainDigests = async (): Promise<number> => {
    let sent = 0;
    for (let i = 0; i < opts.batch; i++) {
      const rows = await repo.takeDueDigest(120);
      if (rows.length === 0) break;
      const mark = (status: 'sent' | 'skipped', note: string | null) => Promise.all(rows.map((e) => repo.emailDone(e.messageId, e.attempts, status, note)));
      try {
        const contact = await contactOf(rows[0]!.userId!);
        if (!contact?.email) {
          await mark('skipped', contact ? 'no e-mail address' : 'no such user');
          continue;
        }
        const items = rows.map((e) => renderFor(e, contact.locale)).filter((r): r is Rendered => r !== null);
        const head = renderDigest(items.length, rows[0]!.digest ?? 'daily', contact.locale);
        const list = items.map((r) => `<li><strong>${escape(r.title)}</strong><br>${escape(r.body)}${r.href ? ` <a href="${escape(r.href)}">${OPEN[contact.locale]}</a>` : ''}</li>`).join('');
        if (items.length > 0) await send(contact.email, head.title, `<p>${escape(head.body)}</p><ul>${list}</ul>`);
        await mark('sent', `digest of ${items.length}`);
        sent++;
      } catch (err) {
        logger.warn({ err, userId: rows[0]!.userId, messages: rows.length }, 'a digest was not sent; it is tried again later');
        await Promise.all(rows.map((e) => repo.emailFailed(e.messageId, e.attempts, err instanceof Error ? err.message : String(err), opts.maxAttempts))).catch((markErr: unknown) =>
          logger.warn({ err: markErr }, 'a digest failure could not be noted; its lease runs out and it is tried again'),
        );
      }
    }
    return sent;
  };

  const drain = async () => (await drainSingles()) + (await drainDigests());
  return { name: 'notification-email', everyMs: opts.everyMs, run: drain, drain };
}
