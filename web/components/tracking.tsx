import { getTranslations } from 'next-intl/server';
import { Carriers, type Shipment } from '@emporium/contracts';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { pick } from '@/lib/format';

/**
 * A shipment's parcels and each one's tracking timeline, newest checkpoint
 * first, in the reader's language (the carrier's own words beside it, as
 * the carrier wrote them). A checkpoint that moved nothing (late, repeated
 * or lower) is shown muted.
 */
export async function Tracking({ shipment, locale }: { shipment: Shipment; locale: Locale }) {
  const t = await getTranslations('tracking');
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: config().PLATFORM_TIME_ZONE });
  const statusOf = (p: { status: Shipment['parcels'][number]['status']; exceptionKind: Shipment['parcels'][number]['exceptionKind'] }) => (p.status === 'exception' ? t(`exception.${p.exceptionKind ?? 'other'}`) : t(`status.${p.status}`));
  return (
    <section className="tracking" aria-label={t('title')}>
      <h3>{t('title')}</h3>
      {shipment.parcels.map((p, i) => (
        <div key={p.id} className="parcel" aria-label={t('parcel', { n: i + 1, carrier: pick(Carriers[p.carrier].name, locale), number: p.trackingNumber })}>
          <p>
            {shipment.parcels.length > 1 ? `${t('parcel', { n: i + 1, carrier: pick(Carriers[p.carrier].name, locale), number: p.trackingNumber })} · ` : `${pick(Carriers[p.carrier].name, locale)} ${p.trackingNumber} · `}
            <strong className={`status parcel-${p.status}`}>{statusOf(p)}</strong>
            {p.staleSince && p.lastEventAt ? <span className="error"> · {t('stale', { since: date.format(new Date(p.lastEventAt)) })}</span> : null}
            {p.staleSince && !p.lastEventAt ? <span className="error"> · {t('staleNever')}</span> : null}
          </p>
          {p.events.length === 0 ? <p className="muted">{t('none')}</p> : null}
          <ol className="timeline" aria-label={t('timeline')}>
            {[...p.events].reverse().map((e, j) => (
              <li key={j} className={e.applied ? undefined : 'muted'}>
                <time dateTime={e.occurredAt}>{date.format(new Date(e.occurredAt))}</time> · {e.status ? statusOf({ status: e.status, exceptionKind: e.exceptionKind }) : t('unknownCode', { code: e.code })}
                {e.location ? ` · ${e.location}` : ''}
                <br />
                <span className="muted">{e.description}</span>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
