'use client';

import type { CouponTemplate, MemberLevel } from '@emporium/contracts';
import { useLocale, useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { putLevelsAction } from '@/app/[locale]/admin/actions';
import { errorOf, Field, FormAlert } from '@/components/form-fields';
import { LEVEL_COLUMNS, levelField } from '@/lib/level-fields';
import type { FormState } from '@/lib/form-state';

const idle: FormState = { errors: [], problem: null };

/** The level ladder as one form: a row per level and a spare row to add one; a row whose names are emptied is dropped. */
export function LevelsForm({ levels, birthdayCoupons }: { levels: MemberLevel[]; birthdayCoupons: CouponTemplate[] }) {
  const t = useTranslations('admin.levels');
  const locale = useLocale();
  const [state, action, pending] = useActionState(putLevelsAction, idle);
  const rows = Math.min(10, levels.length + 1);
  const initial = (l: MemberLevel | undefined): Record<string, string> =>
    l
      ? {
          nameZh: l.name['zh-CN'],
          nameEn: l.name.en,
          minGrowth: String(l.minGrowth),
          discount: String(l.discountBps / 100),
          freeShippingAbove: l.freeShippingAbove ? (l.freeShippingAbove.amount / 100).toFixed(2) : '',
          birthdayCoupon: l.birthdayCouponTemplateId ?? '',
        }
      : {};
  const label = (field: string) => {
    const [, i, column] = field.split('.');
    return `${t('level', { level: Number(i) })} · ${t(`fields.${column ?? 'level'}`)}`;
  };
  return (
    <form action={action} className="form" aria-labelledby="levels-title">
      <h2 id="levels-title">{t('edit')}</h2>
      <FormAlert state={state} label={label} />
      <input type="hidden" name="rows" value={rows} />
      {Array.from({ length: rows }, (_, i) => {
        const start = initial(levels[i]);
        const value = (c: string) => state.values?.[levelField(i, c)] ?? start[c] ?? '';
        return (
          <fieldset key={i}>
            <legend>{levels[i] ? t('level', { level: i }) : t('newLevel', { level: i })}</legend>
            {LEVEL_COLUMNS.filter((c) => c !== 'birthdayCoupon').map((c) => (
              <Field
                key={c}
                id={`level-${i}-${c}`}
                name={levelField(i, c)}
                label={t(`fields.${c}`)}
                inputMode={c === 'nameZh' || c === 'nameEn' ? undefined : c === 'minGrowth' ? 'numeric' : 'decimal'}
                maxLength={c === 'nameZh' || c === 'nameEn' ? 20 : 12}
                autoComplete="off"
                defaultValue={value(c)}
                error={errorOf(state, levelField(i, c))}
              />
            ))}
            <Field id={`level-${i}-birthdayCoupon`} label={t('fields.birthdayCoupon')} error={errorOf(state, levelField(i, 'birthdayCoupon'))}>
              <select id={`level-${i}-birthdayCoupon`} name={levelField(i, 'birthdayCoupon')} defaultValue={value('birthdayCoupon')}>
                <option value="">{t('noBirthdayCoupon')}</option>
                {birthdayCoupons.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name[locale === 'zh-CN' ? 'zh-CN' : 'en']}
                  </option>
                ))}
              </select>
            </Field>
          </fieldset>
        );
      })}
      <p className="hint">{t('hint')}</p>
      <button type="submit" disabled={pending}>
        {t('save')}
      </button>
    </form>
  );
}
