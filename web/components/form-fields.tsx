'use client';

import { useTranslations } from 'next-intl';
import type { InputHTMLAttributes, ReactNode } from 'react';
import type { FormState } from '@/lib/form-state';

/** The message for a field the server refused, if it did. */
export function errorOf(state: FormState, field: string): string | undefined {
  return state.errors.find((e) => e.field === field)?.message;
}

/** The form's alert: a message for the whole form, or a list of the fields to fix, named as the form labels them. */
export function FormAlert({ state, label }: { state: FormState; label: (field: string) => string }) {
  const t = useTranslations('forms');
  if (!state.problem && state.errors.length === 0) return null;
  return (
    <div role="alert" className="error">
      {state.problem ? <p>{t(`problem.${state.problem}`)}</p> : null}
      {state.errors.length > 0 ? (
        <>
          <p>{t('fixFields')}</p>
          <ul>
            {state.errors.map((e) => (
              <li key={e.field}>
                {label(e.field)}: {e.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** A labelled input that shows the server's complaint about it and points screen readers to it. */
export function Field({ id, label, error, children, ...input }: { id: string; label: string; error?: string | undefined; children?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      {children ?? <input id={id} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...input} />}
      {error ? (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </span>
  );
}

/** The form's problem as a whole, beside a small inline form. */
export function ProblemNote({ state }: { state: FormState }) {
  const t = useTranslations('forms');
  return state.problem ? (
    <span role="alert" className="field-error">
      {t(`problem.${state.problem}`)}
    </span>
  ) : null;
}

/**
 * How many units of each line to give back (a refund, a return): one number
 * field per line that still has units, named `units:<skuId>`, kept as typed
 * when the form comes back refused.
 */
export function UnitsFieldset<L extends { skuId: string; units: number }>({ id, legend, hint, lines, label, values }: { id: string; legend: string; hint?: string; lines: readonly L[]; label: (line: L) => string; values: Record<string, string> | undefined }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {lines
        .filter((l) => l.units > 0)
        .map((l) => (
          <Field key={l.skuId} id={`${id}-units-${l.skuId}`} name={`units:${l.skuId}`} type="number" min={0} max={l.units} inputMode="numeric" label={label(l)} defaultValue={values?.[`units:${l.skuId}`] ?? ''} />
        ))}
    </fieldset>
  );
}
