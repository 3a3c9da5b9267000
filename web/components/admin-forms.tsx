'use client';

import type { SpecDefinition } from '@emporium/contracts';
import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { createCategoryAction, specTemplateAction } from '@/app/[locale]/admin/actions';
import type { FormState } from '@/lib/form-state';
import { errorOf, Field, FormAlert } from './form-fields';

const idle: FormState = { errors: [], problem: null };
const LANGS = ['zh-CN', 'en'] as const;

/** A new category under a parent (or at the top), with its URL key and both names. */
export function CategoryForm({ parents, formKey }: { parents: { id: string; label: string }[]; formKey: string }) {
  const t = useTranslations('admin.category');
  const [state, action, pending] = useActionState(createCategoryAction, idle);
  const label = (f: string) => t(`field.${f.replace('.', '_')}`);
  return (
    <form action={action} className="form narrow-wide" aria-labelledby="new-category">
      <h2 id="new-category">{t('new')}</h2>
      <FormAlert state={state} label={label} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <Field id="category-parent" label={label('parentId')}>
        <select id="category-parent" name="parentId" defaultValue={state.values?.parentId ?? ''}>
          <option value="">{t('top')}</option>
          {parents.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </Field>
      <Field id="category-slug" name="slug" required pattern="[a-z0-9][a-z0-9\-]{0,39}" label={label('slug')} error={errorOf(state, 'slug')} defaultValue={state.values?.slug ?? ''} />
      {LANGS.map((lang) => (
        <Field key={lang} id={`category-name-${lang}`} name={`name.${lang}`} lang={lang} required maxLength={40} label={label(`name.${lang}`)} error={errorOf(state, `name.${lang}`)} defaultValue={state.values?.[`name.${lang}`] ?? ''} />
      ))}
      <Field id="category-position" name="position" type="number" min={0} max={10000} label={label('position')} error={errorOf(state, 'position')} defaultValue={state.values?.position ?? '0'} />
      <button type="submit" disabled={pending}>
        {t('create')}
      </button>
    </form>
  );
}

const emptyName = () => ({ 'zh-CN': '', en: '' });

/**
 * A category's specs (at most five), each with its values, every name in
 * both languages. Sent whole; catalog keeps existing products as they are.
 */
export function SpecTemplateEditor({ categoryId, initial }: { categoryId: string; initial: SpecDefinition[] }) {
  const t = useTranslations('admin.template');
  const [state, action, pending] = useActionState(specTemplateAction, idle);
  const [specs, setSpecs] = useState<SpecDefinition[]>(initial);
  const update = (i: number, change: (s: SpecDefinition) => SpecDefinition) => setSpecs((all) => all.map((s, j) => (j === i ? change(s) : s)));
  const label = (field: string) => {
    const [, spec, part, value, rest] = field.split('.');
    const n = Number(spec) + 1;
    return part === 'values' && value !== undefined ? t('valueOf', { spec: n, value: Number(value) + 1, field: rest ?? '' }) : t('specN', { n, field: part ?? '' });
  };
  return (
    <form action={action} className="form">
      <FormAlert state={state} label={label} />
      <input type="hidden" name="categoryId" value={categoryId} />
      <input type="hidden" name="specs" value={JSON.stringify(specs)} />
      {specs.map((spec, i) => (
        <fieldset key={i}>
          <legend>{t('specN', { n: i + 1, field: spec.name.en || spec.key })}</legend>
          <div className="attribute-row">
            <Field id={`spec-${i}-key`} label={t('key')} required value={spec.key} onChange={(e) => update(i, (s) => ({ ...s, key: e.target.value }))} error={errorOf(state, `specs.${i}.key`)} />
            {LANGS.map((lang) => (
              <Field key={lang} id={`spec-${i}-name-${lang}`} lang={lang} label={`${t('name')} (${lang})`} required value={spec.name[lang]} onChange={(e) => update(i, (s) => ({ ...s, name: { ...s.name, [lang]: e.target.value } }))} error={errorOf(state, `specs.${i}.name.${lang}`)} />
            ))}
          </div>
          {spec.values.map((v, j) => (
            <div key={j} className="attribute-row">
              <Field
                id={`spec-${i}-value-${j}-key`}
                label={t('valueKey', { n: j + 1 })}
                required
                value={v.key}
                onChange={(e) => update(i, (s) => ({ ...s, values: s.values.map((x, k) => (k === j ? { ...x, key: e.target.value } : x)) }))}
                error={errorOf(state, `specs.${i}.values.${j}.key`)}
              />
              {LANGS.map((lang) => (
                <Field
                  key={lang}
                  id={`spec-${i}-value-${j}-${lang}`}
                  lang={lang}
                  label={`${t('valueName', { n: j + 1 })} (${lang})`}
                  required
                  value={v.name[lang]}
                  onChange={(e) => update(i, (s) => ({ ...s, values: s.values.map((x, k) => (k === j ? { ...x, name: { ...x.name, [lang]: e.target.value } } : x)) }))}
                  error={errorOf(state, `specs.${i}.values.${j}.name.${lang}`)}
                />
              ))}
              <button type="button" className="secondary" onClick={() => update(i, (s) => ({ ...s, values: s.values.filter((_, k) => k !== j) }))}>
                {t('removeValue', { n: j + 1 })}
              </button>
            </div>
          ))}
          <button type="button" className="secondary" onClick={() => update(i, (s) => ({ ...s, values: [...s.values, { key: '', name: emptyName() }] }))}>
            {t('addValue')}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setSpecs((all) => all.filter((_, j) => j !== i))}>
            {t('removeSpec', { n: i + 1 })}
          </button>
        </fieldset>
      ))}
      {specs.length < 5 ? (
        <p>
          <button type="button" className="secondary" onClick={() => setSpecs((all) => [...all, { key: '', name: emptyName(), values: [{ key: '', name: emptyName() }] }])}>
            {t('addSpec')}
          </button>
        </p>
      ) : null}
      <button type="submit" disabled={pending}>
        {t('save')}
      </button>
    </form>
  );
}
