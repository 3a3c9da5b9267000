import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import type { Locale } from '@/i18n/routing';
import { pendingShops } from '@/lib/data/admin';
import { pick } from '@/lib/format';
import { adminToken } from '../guard';
import { decideShopAction } from './actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('shopsTitle') };
}

/** Merchant applications waiting for a decision, oldest first. */
export default async function AdminShops({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ missing?: string }> }) {
  const [{ locale }, { missing }] = await Promise.all([params, searchParams]);
  const token = await adminToken('/admin/shops');
  const t = await getTranslations('admin');
  const shops = await pendingShops(token);
  return (
    <section>
      <h1>{t('shopsTitle')}</h1>
      {shops.length === 0 ? <p>{t('noApplications')}</p> : null}
      {shops.map((s) => (
        <article key={s.id} className="card" aria-label={pick(s.name, locale)}>
          <h2>{pick(s.name, locale)}</h2>
          <p>{pick(s.description, locale)}</p>
          <p className="muted">
            {s.contactEmail} · {s.contactPhone}
          </p>
          {missing === s.id ? (
            <p role="alert" className="error">
              {t('reasonNeeded')}
            </p>
          ) : null}
          <form action={decideShopAction} className="form inline">
            <input type="hidden" name="shopId" value={s.id} />
            <input type="hidden" name="key" value={randomUUID()} />
            <button type="submit" name="decision" value="approve">
              {t('approve')}
            </button>
            <label htmlFor={`reason-${s.id}`}>{t('reason')}</label>
            <input id={`reason-${s.id}`} name="reason" className="wide" />
            <button type="submit" name="decision" value="reject">
              {t('reject')}
            </button>
          </form>
        </article>
      ))}
    </section>
  );
}
