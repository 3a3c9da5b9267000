import { getTranslations } from 'next-intl/server';
import { Carriers, type SubOrderReturn } from '@emporium/contracts';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { formatMoney, pick } from '@/lib/format';

/** One return of goods as either party sees it: where it stands, what goes back, where to, and each step with who took it. */
export async function ReturnView({ r, locale, nameOf, children }: { r: SubOrderReturn; locale: Locale; nameOf: (skuId: string) => string; children?: React.ReactNode }) {
  const t = await getTranslations('returns');
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: config().PLATFORM_TIME_ZONE });
  const a = r.returnAddress;
  return (
    <section className="return" aria-label={t('title', { amount: formatMoney(r.amount, locale) })}>
      <h3>{t('title', { amount: formatMoney(r.amount, locale) })}</h3>
      <p>
        <strong className={`status return-${r.status}`}>{t(`status.${r.status}`)}</strong> · {r.reason}
        {r.note && r.status !== 'requested' ? <span className="muted"> · {r.note}</span> : null}
      </p>
      <ul>
        {r.lines.map((l) => (
          <li key={l.skuId}>{t('line', { name: nameOf(l.skuId), quantity: l.quantity })}</li>
        ))}
      </ul>
      {a && (r.status === 'approved' || r.status === 'shipped_back' || r.status === 'delivered_to_shop') ? (
        <>
          <p>{t('sendTo')}</p>
          <address>
            {a.recipient}, {a.phone}
            <br />
            {a.province} {a.city} {a.district} {a.street} {a.postalCode ?? ''}
          </address>
        </>
      ) : null}
      {r.shipment ? <p>{t('parcel', { carrier: pick(Carriers[r.shipment.carrier].name, locale), number: r.shipment.trackingNumber })}</p> : null}
      {r.restocked ? <p className="muted">{t('restocked', { units: r.restocked.reduce((n, l) => n + l.quantity, 0) })}</p> : null}
      <ol className="timeline" aria-label={t('timeline')}>
        {r.timeline.map((e, i) => (
          <li key={i}>
            {t(`status.${e.status}`)} · {t(`by.${e.by}`)} <time dateTime={e.at}>{date.format(new Date(e.at))}</time>
          </li>
        ))}
      </ol>
      {children}
    </section>
  );
}
