'use client';

import type { Product } from '@emporium/contracts';
import { useLocale, useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import useSWR from 'swr';
import { addToCartAction, type AddState } from '@/app/[locale]/products/[productId]/actions';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { formatMoney } from '@/lib/format';

type Availability = { items: { skuId: string; available: number; level: 'in_stock' | 'low' | 'out_of_stock' }[] };
const fetchJson = (url: string) => fetch(url).then((r) => r.json() as Promise<Availability>);

/**
 * Pick one value per spec; the SKU of that combination shows its price (the
 * company's, for its buyers), its quantity tiers and its stock, which SWR
 * keeps fresh through the gateway while the page is open.
 */
export function SpecSelector({ product, initialStock }: { product: Product; initialStock: Availability }) {
  const t = useTranslations('product');
  const locale = useLocale() as Locale;
  // in the order the specs list their values, so the first combination shown is the first one listed
  const rank = (values: Record<string, string>) => product.specs.reduce((r, spec) => r * 100 + spec.values.findIndex((v) => v.key === values[spec.key]), 0);
  const active = product.skus.filter((s) => s.active).sort((a, b) => rank(a.specValues) - rank(b.specValues));
  const [chosen, setChosen] = useState<Record<string, string>>(active[0]?.specValues ?? {});
  const sku = active.find((s) => product.specs.every((spec) => s.specValues[spec.key] === chosen[spec.key]));
  const { data } = useSWR(sku ? `/api/v1/stock?skuIds=${sku.id}` : null, fetchJson, { fallbackData: initialStock, refreshInterval: 10_000 });
  const stock = data.items.find((i) => i.skuId === sku?.id);
  const [state, action, pending] = useActionState<AddState, FormData>(addToCartAction, { status: 'idle', message: null });
  // a value is offered when some active SKU has it beside the other choices
  const possible = (key: string, value: string) => active.some((s) => s.specValues[key] === value && product.specs.every((o) => o.key === key || s.specValues[o.key] === chosen[o.key]));

  return (
    <div className="buy">
      {product.specs.map((spec) => (
        <fieldset key={spec.key}>
          <legend>{spec.name[locale]}</legend>
          {spec.values.map((v) => (
            <label key={v.key} className="choice">
              <input type="radio" name={spec.key} value={v.key} checked={chosen[spec.key] === v.key} disabled={!possible(spec.key, v.key)} onChange={() => setChosen({ ...chosen, [spec.key]: v.key })} />
              {v.name[locale]}
            </label>
          ))}
        </fieldset>
      ))}
      {sku ? (
        <>
          <p className="price" aria-live="polite">
            <strong>{formatMoney(sku.companyPrice ?? sku.price, locale)}</strong>
            {sku.companyPrice ? <span> {t('companyPrice')}</span> : null}
            {sku.originalPrice ? <s> {formatMoney(sku.originalPrice, locale)}</s> : null}
          </p>
          {sku.tiers.length > 0 ? (
            <ul aria-label={t('tiers')}>
              {sku.tiers.map((tier) => (
                <li key={tier.minQuantity}>{t('tier', { min: tier.minQuantity, price: formatMoney(tier.price, locale) })}</li>
              ))}
            </ul>
          ) : null}
          <p aria-live="polite">{stock ? (stock.level === 'out_of_stock' ? t('outOfStock') : stock.level === 'low' ? t('low', { count: stock.available }) : t('inStock', { count: stock.available })) : null}</p>
          <form action={action} className="form inline">
            <input type="hidden" name="skuId" value={sku.id} />
            <input type="hidden" name="productId" value={product.id} />
            <label htmlFor="quantity">{t('quantity')}</label>
            <input id="quantity" name="quantity" type="number" min={1} max={999} defaultValue={1} inputMode="numeric" />
            <button type="submit" disabled={pending || stock?.level === 'out_of_stock'}>
              {t('addToCart')}
            </button>
          </form>
          {state.message ? (
            <p role={state.status === 'error' ? 'alert' : 'status'}>
              {state.message} {state.status === 'added' ? <Link href="/cart">{t('viewCart')}</Link> : null}
            </p>
          ) : null}
        </>
      ) : (
        <p>{t('noCombination')}</p>
      )}
    </div>
  );
}
