import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ShopStatus } from '@emporium/contracts';
import { AdminNav, DecisionForm, RowNotice, StatusTabs } from '@/components/admin-parts';
import type { Locale } from '@/i18n/routing';
import { shopsIn } from '@/lib/data/admin';
import { pick } from '@/lib/format';
import { fromMinor } from '@/lib/product-draft';
import { commissionAction, decideShopAction, shopStatusAction } from '../actions';
import { adminToken } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('shopsTitle') };
}

/**
 * Shops by status: applications to approve or reject (with a reason), open
 * shops to suspend or to give another commission rate, suspended ones to
 * resume, and rejected ones with the reason they were given.
 */
export default async function AdminShops({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ status?: string; target?: string; problem?: string; done?: string }> }) {
  const [{ locale }, query] = await Promise.all([params, searchParams]);
  const status = ShopStatus.safeParse(query.status).data ?? 'pending';
  const token = await adminToken('/admin/shops');
  const [t, shops] = await Promise.all([getTranslations('admin'), shopsIn(token, status)]);
  return (
    <section>
      <h1>{t('shopsTitle')}</h1>
      <AdminNav current="/shops" />
      <StatusTabs path="/admin/shops" statuses={ShopStatus.options} current={status} label={t('byStatus')} />
      {shops.length === 0 ? <p>{t(status === 'pending' ? 'noApplications' : 'noneHere')}</p> : null}
      {shops.map((s) => {
        return (
          <article key={s.id} className="card" aria-label={pick(s.name, locale)}>
            <h2>{pick(s.name, locale)}</h2>
            <p>{pick(s.description, locale)}</p>
            <p className="muted">
              {s.contactEmail} · {s.contactPhone} · {t('commission', { percent: fromMinor(s.commissionBps) })}
            </p>
            {s.statusReason ? <p>{t('reasonGiven', { reason: s.statusReason })}</p> : null}
            <RowNotice row={s.id} query={query} known={['reason', 'commission', 'conflict']} />
            {status === 'pending' ? <DecisionForm action={decideShopAction} field="shopId" id={s.id} /> : null}
            {status === 'approved' ? (
              <>
                <form action={commissionAction} className="form inline">
                  <input type="hidden" name="shopId" value={s.id} />
                  <label htmlFor={`commission-${s.id}`}>{t('commissionRate')}</label>
                  <input id={`commission-${s.id}`} name="percent" inputMode="decimal" defaultValue={fromMinor(s.commissionBps)} required />
                  <button type="submit">{t('setRate')}</button>
                </form>
                <form action={shopStatusAction} className="form inline">
                  <input type="hidden" name="shopId" value={s.id} />
                  <input type="hidden" name="op" value="suspend" />
                  <input type="hidden" name="key" value={randomUUID()} />
                  <label htmlFor={`suspend-${s.id}`}>{t('suspendReason')}</label>
                  <input id={`suspend-${s.id}`} name="reason" className="wide" />
                  <button type="submit">{t('suspend')}</button>
                </form>
              </>
            ) : null}
            {status === 'suspended' ? (
              <form action={shopStatusAction} className="form inline">
                <input type="hidden" name="shopId" value={s.id} />
                <input type="hidden" name="op" value="resume" />
                <input type="hidden" name="key" value={randomUUID()} />
                <button type="submit">{t('resume')}</button>
              </form>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
