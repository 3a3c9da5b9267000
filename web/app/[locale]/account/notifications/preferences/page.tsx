import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { EmailDigest, NotificationChannel } from '@emporium/contracts';
import { Link, redirect } from '@/i18n/navigation';
import { sessionToken } from '@/lib/data/account';
import { myPreferences } from '@/lib/data/notifications';
import { preferencesAction } from '../actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('inbox'))('preferences') };
}

/** Which categories reach me by which channel; what concerns my own orders, money and account always reaches my inbox. */
export default async function NotificationPreferencesPage({ searchParams }: { searchParams: Promise<{ saved?: string; refused?: string }> }) {
  const q = await searchParams;
  const token = await sessionToken();
  if (!token) return redirect({ href: { pathname: '/login', query: { next: '/account/notifications/preferences' } }, locale: await getLocale() });
  const [t, prefs] = await Promise.all([getTranslations('inbox'), myPreferences(token)]);
  const categories = [...new Set(prefs.items.map((p) => p.category))];
  const of = (category: string, channel: string) => prefs.items.find((p) => p.category === category && p.channel === channel)!;
  return (
    <section>
      <h1>{t('preferences')}</h1>
      <p>
        <Link href="/account/notifications">{t('title')}</Link>
      </p>
      {q.saved ? <p role="status">{t('saved')}</p> : null}
      {q.refused ? <p role="alert">{t('refused')}</p> : null}
      <p className="hint">{t('lockedHint')}</p>
      <p className="hint">{t('digestHint')}</p>
      <form action={preferencesAction} className="form">
        <table>
          <caption className="sr-only">{t('preferences')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('categoryLabel')}</th>
              {NotificationChannel.options.map((c) => (
                <th key={c} scope="col">
                  {t(`channel.${c}`)}
                </th>
              ))}
              <th scope="col" id="col-digest">
                {t('digestLabel')}
              </th>
            </tr>
          </thead>
          <tbody>
            {categories.map((category) => (
              <tr key={category}>
                <th scope="row" id={`cat-${category}`}>
                  {t(`category.${category}`)}
                </th>
                {NotificationChannel.options.map((channel) => {
                  const p = of(category, channel);
                  const id = `on-${category}-${channel}`;
                  return (
                    <td key={channel}>
                      {p.locked ? <input type="hidden" name={`locked:${category}:${channel}`} value="1" /> : null}
                      <input type="checkbox" id={id} name={`on:${category}:${channel}`} defaultChecked={p.enabled} disabled={p.locked} aria-labelledby={`cat-${category} ch-${channel}-${category}`} />
                      <label id={`ch-${channel}-${category}`} htmlFor={id} className="sr-only">
                        {t(`channel.${channel}`)}
                      </label>
                    </td>
                  );
                })}
                <td>
                  {of(category, 'email').locked ? null : (
                    <select name={`digest:${category}`} defaultValue={of(category, 'email').digest} aria-labelledby={`cat-${category} col-digest`}>
                      {EmailDigest.options.map((d) => (
                        <option key={d} value={d}>
                          {t(`digest.${d}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="submit">{t('save')}</button>
      </form>
    </section>
  );
}
