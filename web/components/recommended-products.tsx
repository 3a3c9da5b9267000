import type { Recommendation } from '@emporium/contracts';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { formatMoney, pick } from '@/lib/format';

/** A row of recommended products under a heading: picture, name, price; nothing at all when there are none. */
export function RecommendedProducts({ id, title, items, locale }: { id: string; title: string; items: Recommendation[]; locale: Locale }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul className="cards" aria-labelledby={id}>
        {items.map((r) => (
          <li key={r.productId} className="card">
            {r.image ? <img src={`/api/v1${r.image}`} alt={pick(r.name, locale)} width={240} height={240} loading="lazy" /> : null}
            <h3 className="card-title">
              <Link href={`/products/${r.productId}`}>{pick(r.name, locale)}</Link>
            </h3>
            {r.minPrice ? <p className="price">{formatMoney(r.minPrice, locale)}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
