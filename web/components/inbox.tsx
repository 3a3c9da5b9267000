import { getTranslations } from 'next-intl/server';
import type { InboxPage } from '@emporium/contracts';
import { archiveAction, openAction, readAction, readAllAction } from '@/app/[locale]/account/notifications/actions';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import type { InboxOwner } from '@/lib/data/notifications';

export type InboxView = 'all' | 'unread' | 'archived';

/** The view a page's `view` parameter asks for, and a cursor shaped as the service writes them (else the first page). */
export const viewOf = (v: string | undefined): InboxView => (v === 'unread' || v === 'archived' ? v : 'all');
export const cursorOf = (c: string | undefined) => (c && /^[\w-]{1,200}$/.test(c) ? c : undefined);

/**
 * An inbox (站内信): the messages newest first, unread ones marked, each
 * with what can be done to it (open, mark read, archive), all read at once,
 * and older pages. Works without script: every action is a form.
 */
export async function Inbox({ owner, page, view, path, locale }: { owner: InboxOwner; page: InboxPage; view: InboxView; path: string; locale: Locale }) {
  const t = await getTranslations('inbox');
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: config().PLATFORM_TIME_ZONE });
  const hidden = (
    <>
      <input type="hidden" name="inbox" value={owner.kind} />
      {owner.kind === 'shop' ? <input type="hidden" name="shopId" value={owner.shopId} /> : null}
      <input type="hidden" name="view" value={view} />
    </>
  );
  return (
    <div className="inbox">
      <p aria-live="polite">{t('unread', { count: page.unread })}</p>
      <nav aria-label={t('views')} className="tabs">
        {(['all', 'unread', ...(owner.kind === 'platform' ? [] : ['archived'])] as InboxView[]).map((v) => (
          <Link key={v} href={{ pathname: path, query: v === 'all' ? {} : { view: v } }} aria-current={v === view ? 'page' : undefined}>
            {t(`view.${v}`)}
          </Link>
        ))}
      </nav>
      {page.unread > 0 && view !== 'archived' ? (
        <form action={readAllAction} className="form inline">
          {hidden}
          <button type="submit">{t('readAll')}</button>
        </form>
      ) : null}
      {page.items.length === 0 ? <p>{t(`none.${view}`)}</p> : null}
      <ol className="messages">
        {page.items.map((m) => (
          <li key={m.id} className={m.readAt ? 'read' : 'unread'}>
            <article aria-labelledby={`m-${m.id}`}>
              <h2 id={`m-${m.id}`}>
                {m.readAt ? null : <span className="badge">{t('new')}</span>} {m.kind === 'broadcast' ? <span className="tag">{t('announcement')}</span> : null} {m.title}
              </h2>
              <p>{m.body}</p>
              <p className="hint">
                <time dateTime={m.createdAt}>{when.format(new Date(m.createdAt))}</time>
              </p>
              <div className="actions">
                {m.link ? (
                  <form action={openAction} className="form inline">
                    {hidden}
                    <input type="hidden" name="messageId" value={m.id} />
                    <input type="hidden" name="link" value={m.link} />
                    <button type="submit" aria-describedby={`m-${m.id}`}>{t('open')}</button>
                  </form>
                ) : null}
                {m.readAt ? null : (
                  <form action={readAction} className="form inline">
                    {hidden}
                    <input type="hidden" name="messageId" value={m.id} />
                    <button type="submit" aria-describedby={`m-${m.id}`}>{t('markRead')}</button>
                  </form>
                )}
                {m.archivedAt || owner.kind === 'platform' ? null : (
                  <form action={archiveAction} className="form inline">
                    {hidden}
                    <input type="hidden" name="messageId" value={m.id} />
                    <button type="submit" aria-describedby={`m-${m.id}`}>{t('archive')}</button>
                  </form>
                )}
              </div>
            </article>
          </li>
        ))}
      </ol>
      {page.nextCursor ? <Link href={{ pathname: path, query: { ...(view === 'all' ? {} : { view }), cursor: page.nextCursor } }}>{t('older')}</Link> : null}
    </div>
  );
}
