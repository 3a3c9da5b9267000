'use client';

import type { SpecDefinition } from '@emporium/contracts';
import { useLocale, useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { saveProductAction} from '@/app/[locale]/seller/actions';
import type { FormState } from '@/lib/form-state';
import type { Locale } from '@/i18n/routing';
import { skuTable, type ProductDraft, type SkuDraft } from '@/lib/product-draft';
import { errorOf, Field, FormAlert } from './form-fields';

const idle: FormState = { errors: [], problem: null };
const LANGS = ['zh-CN', 'en'] as const;
type Bilingual = { 'zh-CN': string; en: string };

/**
 * The SPU form: both languages of every text, the category's specs as
 * checkboxes, and the SKU table they generate (one row per combination,
 * rows keep what was typed when values are added). The server action checks
 * the whole draft against catalog's contract and names any wrong cell.
 */
export function ProductForm({ template, initial, productId, formKey }: { template: SpecDefinition[]; initial: ProductDraft; productId?: string; formKey: string }) {
  const t = useTranslations('seller.product');
  const locale = useLocale() as Locale;
  const [state, action, pending] = useActionState(saveProductAction, idle);
  const [draft, setDraft] = useState(initial);
  const [allPrice, setAllPrice] = useState('');

  const chosen = (key: string) => draft.specs.find((s) => s.key === key)?.values ?? [];
  const toggle = (spec: SpecDefinition, value: string) => {
    setDraft((d) => {
      const specs = template
        .map((def) => {
          const now = d.specs.find((s) => s.key === def.key)?.values ?? [];
          const next = def.key !== spec.key ? now : now.includes(value) ? now.filter((v) => v !== value) : [...now, value];
          // values in the template's order, so the matrix is the same whatever order they were ticked in
          return { key: def.key, values: def.values.map((v) => v.key).filter((v) => next.includes(v)) };
        })
        .filter((s) => s.values.length > 0);
      return { ...d, specs, skus: skuTable(specs, d.skus) };
    });
  };
  const setSku = (i: number, patch: Partial<SkuDraft>) => setDraft((d) => ({ ...d, skus: d.skus.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const setText = (field: 'name' | 'description', lang: keyof Bilingual, value: string) => setDraft((d) => ({ ...d, [field]: { ...d[field], [lang]: value } }));
  const setAttribute = (i: number, part: 'name' | 'value', lang: keyof Bilingual, value: string) =>
    setDraft((d) => ({ ...d, attributes: d.attributes.map((a, j) => (j === i ? { ...a, [part]: { ...a[part], [lang]: value } } : a)) }));

  const comboName = (sku: SkuDraft) =>
    template
      .filter((def) => sku.specValues[def.key])
      .map((def) => def.values.find((v) => v.key === sku.specValues[def.key])?.name[locale] ?? sku.specValues[def.key])
      .join(' / ') || t('single');
  const label = (field: string): string => {
    const [head, index, ...rest] = field.split('.');
    if (head === 'skus' && index !== undefined) return `${t('skuRow', { row: Number(index) + 1, combo: draft.skus[Number(index)] ? comboName(draft.skus[Number(index)]!) : '' })} ${rest[0] ? t(`sku.${rest[0]}`) : ''}`;
    if (head === 'attributes' && index !== undefined) return `${t('attributes')} ${Number(index) + 1}`;
    if ((head === 'name' || head === 'description') && index) return `${t(head)} (${index})`;
    return head === 'brand' || head === 'specs' || head === 'categoryId' ? t(head) : field;
  };

  return (
    <form action={action} className="form product-form" aria-label={t(productId ? 'editTitle' : 'newTitle')}>
      <FormAlert state={state} label={label} />
      <input type="hidden" name="draft" value={JSON.stringify(draft)} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      {productId ? <input type="hidden" name="productId" value={productId} /> : null}

      <fieldset>
        <legend>{t('texts')}</legend>
        {LANGS.map((lang) => (
          <Field key={`name-${lang}`} id={`product-name-${lang}`} lang={lang} label={`${t('name')} (${lang})`} required maxLength={120} value={draft.name[lang]} onChange={(e) => setText('name', lang, e.target.value)} error={errorOf(state, `name.${lang}`)} />
        ))}
        {LANGS.map((lang) => {
          const id = `product-description-${lang}`;
          const error = errorOf(state, `description.${lang}`);
          return (
            <Field key={id} id={id} label={`${t('description')} (${lang})`} error={error}>
              <textarea id={id} lang={lang} required rows={4} maxLength={5000} value={draft.description[lang]} onChange={(e) => setText('description', lang, e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
            </Field>
          );
        })}
        <Field id="product-brand" label={t('brand')} required maxLength={60} value={draft.brand} onChange={(e) => setDraft((d) => ({ ...d, brand: e.target.value }))} error={errorOf(state, 'brand')} />
      </fieldset>

      <fieldset>
        <legend>{t('attributes')}</legend>
        {draft.attributes.map((a, i) => (
          <div key={i} className="attribute-row">
            {(['name', 'value'] as const).flatMap((part) =>
              LANGS.map((lang) => (
                <Field key={`${part}-${lang}`} id={`attribute-${i}-${part}-${lang}`} lang={lang} label={`${t(`attribute.${part}`)} ${i + 1} (${lang})`} required value={a[part][lang]} onChange={(e) => setAttribute(i, part, lang, e.target.value)} error={errorOf(state, `attributes.${i}.${part}.${lang}`)} />
              )),
            )}
            <button type="button" className="secondary" onClick={() => setDraft((d) => ({ ...d, attributes: d.attributes.filter((_, j) => j !== i) }))}>
              {t('attribute.remove', { n: i + 1 })}
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => setDraft((d) => ({ ...d, attributes: [...d.attributes, { name: { 'zh-CN': '', en: '' }, value: { 'zh-CN': '', en: '' } }] }))}>
          {t('attribute.add')}
        </button>
      </fieldset>

      {template.map((spec) => (
        <fieldset key={spec.key}>
          <legend>{spec.name[locale]}</legend>
          {spec.values.map((v) => (
            <label key={v.key} className="choice">
              <input type="checkbox" checked={chosen(spec.key).includes(v.key)} onChange={() => toggle(spec, v.key)} />
              {v.name[locale]}
            </label>
          ))}
        </fieldset>
      ))}

      <fieldset>
        <legend>{t('skus', { n: draft.skus.length })}</legend>
        <div className="form inline">
          <Field id="price-all" label={t('priceForAll', { currency: draft.currency })} inputMode="decimal" value={allPrice} onChange={(e) => setAllPrice(e.target.value)} />
          <button type="button" className="secondary" onClick={() => setDraft((d) => ({ ...d, skus: d.skus.map((s) => ({ ...s, price: allPrice })) }))}>
            {t('applyToAll')}
          </button>
        </div>
        <div className="table-scroll">
          <table>
            <caption className="sr-only">{t('skuTable')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sku.combination')}</th>
                <th scope="col">{t('sku.price', { currency: draft.currency })}</th>
                <th scope="col">{t('sku.originalPrice')}</th>
                <th scope="col">{t('sku.barcode')}</th>
                <th scope="col">{t('sku.weightGrams')}</th>
                <th scope="col">{t('sku.active')}</th>
              </tr>
            </thead>
            <tbody>
              {draft.skus.map((sku, i) => {
                const name = comboName(sku);
                const cell = (field: 'price' | 'originalPrice' | 'barcode' | 'weightGrams', inputMode: 'decimal' | 'numeric' | 'text') => {
                  const error = errorOf(state, `skus.${i}.${field}`);
                  return (
                    <td>
                      <input
                        aria-label={`${t(`sku.${field}`, { currency: draft.currency })}, ${name}`}
                        inputMode={inputMode}
                        value={sku[field]}
                        onChange={(e) => setSku(i, { [field]: e.target.value })}
                        aria-invalid={error ? true : undefined}
                        title={error}
                        required={field !== 'originalPrice'}
                      />
                      {error ? <span className="field-error">{error}</span> : null}
                    </td>
                  );
                };
                return (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    {cell('price', 'decimal')}
                    {cell('originalPrice', 'decimal')}
                    {cell('barcode', 'text')}
                    {cell('weightGrams', 'numeric')}
                    <td>
                      <input type="checkbox" aria-label={`${t('sku.active')}, ${name}`} checked={sku.active} onChange={(e) => setSku(i, { active: e.target.checked })} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>
      <button type="submit" disabled={pending}>
        {t(productId ? 'save' : 'create')}
      </button>
    </form>
  );
}
