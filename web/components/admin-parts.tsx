import { randomUUID } from 'node:crypto';
import { getTranslations } from 'next-intl/server';
import { Link } from '@/i18n/navigation';

const SECTIONS = ['', '/shops', '/companies', '/categories', '/coupons', '/points', '/levels', '/customers', '/money', '/notifications'] as const;

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

/** Approve, or reject with a reason, one application (a shop's or a company's). */
export async function DecisionForm({ action, field, id }: { action: (form: FormData) => Promise<void>; field: 'shopId' | 'companyId'; id: string }) {
  const t = await getTranslations('admin');
  return (
    <form action={action} className="form inline">
      <input type="hidden" name={field} value={id} />
      <input type="hidden" name="key" value={randomUUID()} />
      <button type="submit" name="decision" value="approve">
        {t('approve')}
      </button>
      <label htmlFor={`reason-${id}`}>{t('reason')}</label>
      <input id={`reason-${id}`} name="reason" className="wide" />
      <button type="submit" name="decision" value="reject">
        {t('reject')}
      </button>
    </form>
  );
}

/** What the last action on this row came to: a refusal (`problem`, one of `known`, else "refused") or "saved". */
export async function RowNotice({ row, query, known }: { row: string; query: { target?: string; problem?: string; done?: string }; known: readonly string[] }) {
  if (query.target !== row) return null;
  const t = await getTranslations('admin');
  if (query.problem) {
    return (
      <p role="alert" className="error">
        {t(`problem.${known.includes(query.problem) ? query.problem : 'refused'}`)}
      </p>
    );
  }
  return query.done ? <p role="status">{t('saved')}</p> : null;
}
