import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/admin-parts';
import type { Locale } from '@/i18n/routing';
import { pick } from '@/lib/format';
import { config } from '@/lib/config';
import { findUser } from '@/lib/data/admin';
import { pointsActivities, userPoints } from '@/lib/data/membership';
import { adjustPointsAction, createPointsActivityAction, endPointsActivityAction } from '../actions';
import { adminToken } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('points.title') };
}

/** A member's points, found by the e-mail or phone they sign in with; points added (compensation) or taken (a correction) with a reason the member reads. */
export default async function AdminPoints({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ login?: string; problem?: string; done?: string; activityProblem?: string; activityDone?: string }> }) {
  const [{ locale }, query] = await Promise.all([params, searchParams]);
  const token = await adminToken('/admin/points');
  const t = await getTranslations('admin');
  const login = (query.login ?? '').trim().slice(0, 254);
  const user = login.length >= 3 ? await findUser(token, login) : null;
  const [account, activities] = await Promise.all([user ? userPoints(token, user.id) : null, pointsActivities(token)]);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: config().PLATFORM_TIME_ZONE });
  const number = new Intl.NumberFormat(locale);
  return (
    <section>
      <h1>{t('points.title')}</h1>
      <AdminNav current="/points" />
      <p>{t('points.intro')}</p>
      <form method="get" className="form inline" role="search" aria-label={t('points.find')}>
        <label htmlFor="points-login">{t('points.login')}</label>
        <input id="points-login" name="login" type="text" autoComplete="off" defaultValue={login} required minLength={3} maxLength={254} />
        <button type="submit">{t('points.find')}</button>
      </form>
      {login && !user ? (
        <p role="alert" className="error">
          {t('points.noUser')}
        </p>
      ) : null}
      {user && account ? (
        <>
          <h2>{user.displayName}</h2>
          <dl aria-label={t('points.account')}>
            <dt>{t('points.points')}</dt>
            <dd>{number.format(account.points)}</dd>
            <dt>{t('points.growth')}</dt>
            <dd>{number.format(account.growth)}</dd>
            <dt>{t('points.nextExpiry')}</dt>
            <dd>{account.nextExpiry ? t('points.expiring', { points: number.format(account.nextExpiry.points), date: date.format(new Date(account.nextExpiry.at)) }) : '—'}</dd>
          </dl>
          {query.problem ? (
            <p role="alert" className="error">
              {t(`points.problems.${['points', 'reason', 'conflict'].includes(query.problem) ? query.problem : 'refused'}`)}
            </p>
          ) : null}
          {query.done ? <p role="status">{t('points.done')}</p> : null}
          <form action={adjustPointsAction} className="form narrow-wide" aria-label={t('points.adjust')}>
            <input type="hidden" name="userId" value={user.id} />
            <input type="hidden" name="login" value={login} />
            <input type="hidden" name="key" value={randomUUID()} />
            <label htmlFor="points-change">{t('points.change')}</label>
            <input id="points-change" name="points" inputMode="numeric" autoComplete="off" required pattern="-?[0-9]{1,7}" />
            <label htmlFor="points-reason">{t('points.reason')}</label>
            <input id="points-reason" name="reason" required minLength={3} maxLength={200} />
            <button type="submit">{t('points.adjust')}</button>
          </form>
        </>
      ) : null}
      <h2 id="activities-title">{t('points.activities')}</h2>
      <p>{t('points.activitiesIntro')}</p>
      {query.activityDone ? <p role="status">{t('points.activityDone')}</p> : null}
      {query.activityProblem ? (
        <p role="alert" className="error">
          {t(`points.activityProblems.${['name', 'multiplier', 'days'].includes(query.activityProblem) ? query.activityProblem : 'refused'}`)}
        </p>
      ) : null}
      {activities.length ? (
        <table aria-labelledby="activities-title">
          <thead>
            <tr>
              <th scope="col">{t('points.activityName')}</th>
              <th scope="col">{t('points.multiplier')}</th>
              <th scope="col">{t('points.window')}</th>
              <th scope="col">{t('points.activityStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {activities.map((a) => (
              <tr key={a.id}>
                <th scope="row">{pick(a.name, locale)}</th>
                <td>×{a.multiplierPercent / 100}</td>
                <td>
                  {date.format(new Date(a.startsAt))} – {date.format(new Date(a.endsAt))}
                </td>
                <td>
                  {t(`points.activityStatuses.${a.status}`)}
                  {a.status !== 'ended' ? (
                    <form action={endPointsActivityAction} className="inline" aria-label={`${t('points.end')}: ${pick(a.name, locale)}`}>
                      <input type="hidden" name="activityId" value={a.id} />
                      <button type="submit">{t('points.end')}</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('points.noActivities')}</p>
      )}
      <form action={createPointsActivityAction} className="form narrow-wide" aria-label={t('points.startActivity')}>
        <input type="hidden" name="key" value={randomUUID()} />
        <label htmlFor="activity-name-zh">{t('points.nameZh')}</label>
        <input id="activity-name-zh" name="nameZh" required maxLength={60} />
        <label htmlFor="activity-name-en">{t('points.nameEn')}</label>
        <input id="activity-name-en" name="nameEn" required maxLength={60} />
        <label htmlFor="activity-multiplier">{t('points.multiplierField')}</label>
        <input id="activity-multiplier" name="multiplierPercent" inputMode="numeric" autoComplete="off" required pattern="[0-9]{3,4}" defaultValue="200" />
        <label htmlFor="activity-days">{t('points.days')}</label>
        <input id="activity-days" name="days" inputMode="numeric" autoComplete="off" required pattern="[0-9]{1,2}" defaultValue="7" />
        <button type="submit">{t('points.startActivity')}</button>
      </form>
    </section>
  );
}
