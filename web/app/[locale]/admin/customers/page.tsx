import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RfmGroup } from '@emporium/contracts';
import { AdminNav } from '@/components/admin-parts';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { userTags } from '@/lib/data/analytics';
import { allCategories } from '@/lib/data/storefront';
import { formatMoney, pick } from '@/lib/format';
import { isUuid } from '@/lib/ids';
import { adminToken } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('customers.title') };
}

/** Buyers by RFM group with their favourite categories (analytics' user tags): who a broadcast could reach. */
export default async function AdminCustomers({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ rfm?: string; after?: string }> }) {
  const [{ locale }, query] = await Promise.all([params, searchParams]);
  const token = await adminToken('/admin/customers');
  const t = await getTranslations('admin');
  const rfm = RfmGroup.safeParse(query.rfm).success ? query.rfm : undefined;
  const after = query.after && isUuid(query.after) ? query.after : undefined;
  const [page, categories] = await Promise.all([userTags(token, { rfm, after, limit: '50' }), allCategories()]);
  const categoryName = new Map(categories.map((c) => [c.id, pick(c.name, locale)]));
  const groups = RfmGroup.options;
  const users = (g: string) => page.groups.find((x) => x.rfm === g)?.users ?? 0;
  return (
    <section>
      <h1>{t('customers.title')}</h1>
      <AdminNav current="/customers" />
      <p>{t('customers.explain')}</p>
      <nav aria-label={t('customers.groups')} className="sub-nav">
        <Link href="/admin/customers" aria-current={rfm ? undefined : 'page'}>
          {t('customers.all')}
        </Link>
        {groups.map((g) => (
          <Link key={g} href={{ pathname: '/admin/customers', query: { rfm: g } }} aria-current={g === rfm ? 'page' : undefined}>
            {t(`customers.group.${g}`)} ({users(g)})
          </Link>
        ))}
      </nav>
      {page.items.length === 0 ? (
        <p>{t('customers.none')}</p>
      ) : (
        <table>
          <caption>{rfm ? t(`customers.group.${rfm}`) : t('customers.all')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('customers.user')}</th>
              <th scope="col">{t('customers.rfm')}</th>
              <th scope="col">{t('customers.recency')}</th>
              <th scope="col">{t('customers.frequency')}</th>
              <th scope="col">{t('customers.monetary')}</th>
              <th scope="col">{t('customers.scores')}</th>
              <th scope="col">{t('customers.categories')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((u) => (
              <tr key={u.userId}>
                <th scope="row">
                  <code>{u.userId}</code>
                </th>
                <td>{t(`customers.group.${u.rfm}`)}</td>
                <td>{u.recencyDays}</td>
                <td>{u.frequency}</td>
                <td>{formatMoney(u.monetary, locale)}</td>
                <td>
                  {u.scores.r} / {u.scores.f} / {u.scores.m}
                </td>
                <td>{u.favouriteCategories.map((c) => categoryName.get(c) ?? c).join(locale === 'en' ? ', ' : '、')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.nextCursor ? (
        <Link href={{ pathname: '/admin/customers', query: { ...(rfm ? { rfm } : {}), after: page.nextCursor } }} rel="next">
          {t('customers.more')}
        </Link>
      ) : null}
    </section>
  );
}
