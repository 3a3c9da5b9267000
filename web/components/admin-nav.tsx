import { getTranslations } from 'next-intl/server';
import { Link } from '@/i18n/navigation';

const SECTIONS = ['', '/shops', '/companies', '/categories'] as const;

/** The console's sections, the current one marked for screen readers. */
export async function AdminNav({ current }: { current: (typeof SECTIONS)[number] }) {
  const t = await getTranslations('admin');
  return (
    <nav aria-label={t('console')} className="sub-nav">
      {SECTIONS.map((s) => (
        <Link key={s} href={`/admin${s}`} aria-current={s === current ? 'page' : undefined}>
          {t(`nav.${s.slice(1) || 'summary'}`)}
        </Link>
      ))}
    </nav>
  );
}

/** Links to the same list in each status, the shown one marked. */
export async function StatusTabs({ path, statuses, current, label }: { path: string; statuses: readonly string[]; current: string; label: string }) {
  const t = await getTranslations('admin');
  return (
    <nav aria-label={label} className="sub-nav">
      {statuses.map((s) => (
        <Link key={s} href={{ pathname: path, query: { status: s } }} aria-current={s === current ? 'page' : undefined}>
          {t(`status.${s}`)}
        </Link>
      ))}
    </nav>
  );
}
