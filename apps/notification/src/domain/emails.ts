import { IdentityInternal } from '@emporium/contracts';
import { InvocationError, type Logger, type PeriodicTask, type Sidecar } from '@emporium/kit';
import type { NotificationRepository } from '../data/notification-repository';
import { isTemplateKey, render } from './templates';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Sends the e-mails due: each in its reader's language (identity knows it
 * and the address), through Dapr's SMTP output binding. A user without an
 * address is skipped; a failure is tried again later (the row's lease and
 * back-off). At least once: a crash between the send and its mark sends it
 * again, never loses it.
 */
export function emailTask(opts: { repo: NotificationRepository; sidecar: Sidecar; logger: Logger; binding: string; everyMs: number; batch: number; maxAttempts: number; webUrl: string }): PeriodicTask & { drain(): Promise<number> } {
  const { repo, sidecar, logger } = opts;
  const drain = async (): Promise<number> => {
    let sent = 0;
    // one at a time, each under its own lease: a slow relay never lets a lease run out on e-mails still waiting in a batch
    for (let i = 0; i < opts.batch; i++) {
      const [e] = await repo.takeDueEmails(1, 60);
      if (!e) break;
      try {
        const contact = await sidecar.call(IdentityInternal.userContact, { params: { userId: e.userId } }).catch((err: unknown) => {
          if (err instanceof InvocationError && err.status === 404) return null;
          throw err;
        });
        if (!contact?.email) {
          await repo.emailDone(e.messageId, e.attempts, 'skipped', contact ? 'no e-mail address' : 'no such user');
          continue;
        }
        if (!isTemplateKey(e.template)) {
          await repo.emailDone(e.messageId, e.attempts, 'skipped', `unknown template ${e.template}`);
          continue;
        }
        const { title, body } = render(e.template, e.params, contact.locale);
        const link = e.link ? `${opts.webUrl.replace(/\/$/, '')}/${contact.locale}${e.link}` : null;
        const open = contact.locale === 'zh-CN' ? '查看详情' : 'Open';
        const html = `<p>${escape(body)}</p>${link ? `<p><a href="${escape(link)}">${open}</a></p>` : ''}`;
        await sidecar.invokeBinding(opts.binding, 'create', html, { emailTo: contact.email, subject: title });
        await repo.emailDone(e.messageId, e.attempts, 'sent');
        sent++;
      } catch (err) {
        logger.warn({ err, messageId: e.messageId, attempts: e.attempts }, 'an e-mail was not sent; it is tried again later');
        await repo.emailFailed(e.messageId, e.attempts, err instanceof Error ? err.message : String(err), opts.maxAttempts).catch((markErr: unknown) => logger.warn({ err: markErr }, 'an e-mail failure could not be noted; its lease runs out and it is tried again'));
      }
    }
    return sent;
  };
  return { name: 'notification-email', everyMs: opts.everyMs, run: drain, drain };
}
