import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { CompanyStatus } from '@emporium/contracts';
import { AdminNav, DecisionForm, RowNotice, StatusTabs } from '@/components/admin-parts';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { companiesIn, invoicesOf, invoiceTerms } from '@/lib/data/admin';
import { formatMoney } from '@/lib/format';
import { fromMinor } from '@/lib/product-draft';
import { decideCompanyAction, invoiceTermsAction, settleInvoiceAction } from '../actions';
import { adminToken } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('companiesTitle') };
}

/** Companies by status: registrations to approve or reject, and approved ones' credit lines for paying on invoice. */
export default async function AdminCompanies({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ status?: string; target?: string; problem?: string; done?: string }> }) {
  const [{ locale }, query] = await Promise.all([params, searchParams]);
  const status = CompanyStatus.safeParse(query.status).data ?? 'pending';
  const token = await adminToken('/admin/companies');
  const [t, companies] = await Promise.all([getTranslations('admin'), companiesIn(token, status)]);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: config().PLATFORM_TIME_ZONE });
  // every approved company's terms at once, not one after another
  const [terms, invoices] = status === 'approved' ? await Promise.all([Promise.all(companies.map((c) => invoiceTerms(token, c.id))), Promise.all(companies.map((c) => invoicesOf(token, c.id)))]) : [[], []];
  return (
    <section>
      <h1>{t('companiesTitle')}</h1>
      <AdminNav current="/companies" />
      <StatusTabs path="/admin/companies" statuses={CompanyStatus.options} current={status} label={t('byStatus')} />
      {companies.length === 0 ? <p>{t(status === 'pending' ? 'noRegistrations' : 'noneHere')}</p> : null}
      {companies.map((c, i) => {
        const term = terms[i];
        const open = (invoices[i] ?? []).filter((inv) => inv.settledAt === null);
        return (
          <article key={c.id} className="card" aria-label={c.name}>
            {/* a company's registered name has one language */}
            <h2 translate="no">{c.name}</h2>
            <p className="muted">
              {t('taxId', { id: c.taxId })} · {c.contactEmail} · {c.address}
            </p>
            {c.rejectionReason ? <p>{t('reasonGiven', { reason: c.rejectionReason })}</p> : null}
            <RowNotice row={c.id} query={query} known={['reason', 'creditLimit', 'termDays', 'conflict']} />
            {status === 'pending' ? <DecisionForm action={decideCompanyAction} field="companyId" id={c.id} /> : null}
            {status === 'approved' ? (
              <>
                <p>{term ? t('terms', { limit: formatMoney(term.creditLimit, locale), days: term.termDays, outstanding: formatMoney(term.outstanding, locale) }) : t('noTerms')}</p>
                <form action={invoiceTermsAction} className="form inline" aria-label={t('setTerms')}>
                  <input type="hidden" name="companyId" value={c.id} />
                  <label htmlFor={`limit-${c.id}`}>{t('creditLimit')}</label>
                  <input id={`limit-${c.id}`} name="creditLimit" inputMode="decimal" required defaultValue={term ? fromMinor(term.creditLimit.amount) : ''} />
                  <label htmlFor={`days-${c.id}`}>{t('termDays')}</label>
                  <input id={`days-${c.id}`} name="termDays" type="number" min={1} max={180} required defaultValue={term?.termDays ?? 30} />
                  <button type="submit">{t('setTerms')}</button>
                </form>
                {open.length > 0 ? (
                  <ul aria-label={t('openInvoices')}>
                    {open.map((inv) => (
                      <li key={inv.paymentId}>
                        <form action={settleInvoiceAction} className="form inline">
                          <span>{t('invoice', { amount: formatMoney(inv.amount, locale), due: date.format(new Date(inv.dueAt)) })}</span>
                          <input type="hidden" name="companyId" value={c.id} />
                          <input type="hidden" name="paymentId" value={inv.paymentId} />
                          <input type="hidden" name="key" value={randomUUID()} />
                          <button type="submit">{t('settle')}</button>
                        </form>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
