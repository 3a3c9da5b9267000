import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RfmGroup } from '@emporium/contracts';
import { AdminNav } from '@/components/admin-parts';
import { Inbox, cursorOf, viewOf } from '@/components/inbox';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { broadcasts, inboxPage } from '@/lib/data/notifications';
import { adminToken } from '../guard';
import { broadcastAction } from './actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('inbox'))('platformTitle') };
}

/** The platform's messages (applications to review, refunds that failed), and broadcasts to an audience. */
export default async function PlatformInbox({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ view?: string; cursor?: string; sent?: string; wrong?: string }> }) {
  const [{ locale }, q] = await Promise.all([params, searchParams]);
  const token = await adminToken('/admin/notifications');
  const view = viewOf(q.view) === 'archived' ? 'all' : viewOf(q.view);
  const [t, ta, page, sent] = await Promise.all([getTranslations('inbox'), getTranslations('admin'), inboxPage(token, { kind: 'platform' }, { locale, unread: view === 'unread', cursor: cursorOf(q.cursor) }), broadcasts(token)]);
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: config().PLATFORM_TIME_ZONE });
  const wrong = q.wrong && /^[\w.[\]-]{1,60}$/.test(q.wrong) ? q.wrong : null;
  return (
    <section>
      <h1>{t('platformTitle')}</h1>
      <AdminNav current="/notifications" />
      <Inbox owner={{ kind: 'platform' }} page={page} view={view} path="/admin/notifications" locale={locale} />

      <h2 id="broadcast">{t('broadcast.title')}</h2>
      {q.sent ? <p role="status">{t('broadcast.sent')}</p> : null}
      {wrong ? <p role="alert">{t('broadcast.wrong', { field: wrong })}</p> : null}
      <form action={broadcastAction} className="form" aria-labelledby="broadcast">
        <input type="hidden" name="key" value={randomUUID()} />
        <label htmlFor="b-audience">{t('broadcast.audience')}</label>
        <select id="b-audience" name="audience" defaultValue="everyone">
          {(['everyone', 'shoppers', 'merchants', 'company', 'tag'] as const).map((a) => (
            <option key={a} value={a}>
              {t(`audience.${a}`)}
            </option>
          ))}
        </select>
        <label htmlFor="b-company">{t('broadcast.companyId')}</label>
        <input id="b-company" name="companyId" aria-describedby="b-company-hint" />
        <p id="b-company-hint" className="hint">
          {t('broadcast.companyHint')}
        </p>
        <label htmlFor="b-tag">{t('broadcast.tag')}</label>
        <select id="b-tag" name="tag" defaultValue="at_risk" aria-describedby="b-tag-hint">
          {RfmGroup.options.map((g) => (
            <option key={g} value={g}>
              {ta(`customers.group.${g}`)}
            </option>
          ))}
        </select>
        <p id="b-tag-hint" className="hint">
          {t('broadcast.tagHint')}
        </p>
        <label htmlFor="b-category">{t('categoryLabel')}</label>
        <select id="b-category" name="category" defaultValue="announcements">
          <option value="announcements">{t('category.announcements')}</option>
          <option value="promotions">{t('category.promotions')}</option>
        </select>
        <label htmlFor="b-title-zh">{t('broadcast.titleZh')}</label>
        <input id="b-title-zh" name="titleZh" required maxLength={120} />
        <label htmlFor="b-title-en">{t('broadcast.titleEn')}</label>
        <input id="b-title-en" name="titleEn" required maxLength={120} />
        <label htmlFor="b-body-zh">{t('broadcast.bodyZh')}</label>
        <textarea id="b-body-zh" name="bodyZh" required maxLength={2000} />
        <label htmlFor="b-body-en">{t('broadcast.bodyEn')}</label>
        <textarea id="b-body-en" name="bodyEn" required maxLength={2000} />
        <label htmlFor="b-link">{t('broadcast.link')}</label>
        <input id="b-link" name="link" placeholder="/coupons" maxLength={300} />
        <label htmlFor="b-expires">{t('broadcast.expiresAt')}</label>
        <input id="b-expires" name="expiresAt" type="datetime-local" required />
        <button type="submit">{t('broadcast.send')}</button>
      </form>

      <table>
        <caption>{t('broadcast.list')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('broadcast.titleCol')}</th>
            <th scope="col">{t('broadcast.audience')}</th>
            <th scope="col">{t('broadcast.expiresAt')}</th>
            <th scope="col">{t('broadcast.reads')}</th>
          </tr>
        </thead>
        <tbody>
          {sent.items.map((b) => (
            <tr key={b.id}>
              <th scope="row">{b.title[locale]}</th>
              <td>
                {b.audience.kind === 'company'
                  ? `${t('audience.company')} ${b.audience.companyId.slice(0, 8)}`
                  : b.audience.kind === 'tag'
                    ? `${t('audience.tag')}: ${ta(`customers.group.${b.audience.tag}`)}`
                    : t(`audience.${b.audience.kind}`)}
              </td>
              <td>
                <time dateTime={b.expiresAt}>{when.format(new Date(b.expiresAt))}</time>
              </td>
              <td>{b.reads}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
