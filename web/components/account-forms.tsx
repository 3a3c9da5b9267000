'use client';

import type { Address, User } from '@emporium/contracts';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { passwordAction, profileAction, saveAddressAction } from '@/app/[locale]/account/actions';
import type { FormState } from '@/lib/form-state';
import { errorOf, Field, FormAlert } from './form-fields';

const idle: FormState = { errors: [], problem: null };
const ADDRESS = ['recipient', 'phone', 'province', 'city', 'district', 'street', 'postalCode'] as const;

/**
 * A new address or changes to one, in the address book or at checkout
 * (where a new one is the default and the form returns to the same checkout,
 * its query kept: a flash sale's held unit and the hold's end).
 */
export function AddressForm({ formKey, address, back, keep = {} }: { formKey: string; address?: Address; back: 'checkout' | 'account'; keep?: Record<string, string> }) {
  const t = useTranslations('checkout');
  const ta = useTranslations('account');
  const [state, action, pending] = useActionState(saveAddressAction, idle);
  const prefix = address ? `address-${address.id}` : 'address';
  const label = (f: string) => t(`address.${f}`);
  // an edit form sits under its own summary, which says what it is; a new one has a heading
  return (
    <form action={action} className="form" {...(address ? { 'aria-label': ta('editAddress', { recipient: address.recipient }) } : { 'aria-labelledby': 'address-title' })}>
      {address ? null : <h3 id="address-title">{t('newAddress')}</h3>}
      <FormAlert state={state} label={label} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <input type="hidden" name="back" value={back} />
      {address ? <input type="hidden" name="addressId" value={address.id} /> : null}
      {Object.entries(keep).map(([k, v]) => (
        <input key={k} type="hidden" name={`keep.${k}`} value={v} />
      ))}
      {ADDRESS.map((f) => (
        <Field
          key={f}
          id={`${prefix}-${f}`}
          name={f}
          label={label(f)}
          required={f !== 'postalCode'}
          inputMode={f === 'postalCode' ? 'numeric' : undefined}
          autoComplete={f === 'phone' ? 'tel' : f === 'recipient' ? 'name' : f === 'postalCode' ? 'postal-code' : 'off'}
          defaultValue={state.values?.[f] ?? (address ? (address[f] ?? '') : '')}
          error={errorOf(state, f)}
        />
      ))}
      {back === 'account' ? (
        <label className="choice">
          <input type="checkbox" name="isDefault" defaultChecked={address?.isDefault ?? false} disabled={address?.isDefault} />
          {ta('makeDefault')}
        </label>
      ) : null}
      <button type="submit" disabled={pending}>
        {t('saveAddress')}
      </button>
    </form>
  );
}

export function ProfileForm({ user }: { user: User }) {
  const t = useTranslations('account');
  const [state, action, pending] = useActionState(profileAction, idle);
  return (
    <form action={action} className="form" aria-labelledby="profile-title">
      <h2 id="profile-title">{t('profile')}</h2>
      <FormAlert state={state} label={(f) => t(f === 'locale' ? 'language' : f === 'birthday' ? 'birthday' : 'name')} />
      <Field id="profile-name" name="displayName" label={t('name')} required maxLength={80} autoComplete="name" defaultValue={state.values?.displayName ?? user.displayName} error={errorOf(state, 'displayName')} />
      <Field id="profile-locale" label={t('language')}>
        <select id="profile-locale" name="locale" defaultValue={state.values?.locale ?? user.locale}>
          <option value="zh-CN" lang="zh-CN">
            简体中文
          </option>
          <option value="en" lang="en">
            English
          </option>
        </select>
      </Field>
      {user.birthday ? (
        <p>
          {t('birthday')}: <time dateTime={user.birthday}>{user.birthday}</time> <span className="muted">({t('birthdayGiven')})</span>
        </p>
      ) : (
        <>
          <Field id="profile-birthday" name="birthday" type="date" label={t('birthday')} autoComplete="bday" min="1900-01-01" defaultValue={state.values?.birthday ?? ''} error={errorOf(state, 'birthday')} />
          <p className="hint">
            {t('birthdayHint')}
          </p>
        </>
      )}
      <button type="submit" disabled={pending}>
        {t('save')}
      </button>
    </form>
  );
}

export function PasswordForm({ formKey }: { formKey: string }) {
  const t = useTranslations('account');
  const [state, action, pending] = useActionState(passwordAction, idle);
  const label = (f: string) => t(`password.${f}`);
  return (
    <form action={action} className="form">
      <FormAlert state={state} label={label} />
      <input type="hidden" name="key" value={state.key ?? formKey} />
      <Field id="current-password" name="currentPassword" type="password" autoComplete="current-password" required label={label('currentPassword')} error={errorOf(state, 'currentPassword')} />
      <Field id="new-password" name="newPassword" type="password" autoComplete="new-password" required minLength={10} label={label('newPassword')} error={errorOf(state, 'newPassword')} />
      <Field id="repeat-password" name="repeatPassword" type="password" autoComplete="new-password" required label={label('repeatPassword')} error={errorOf(state, 'repeatPassword')} />
      <button type="submit" disabled={pending}>
        {label('change')}
      </button>
    </form>
  );
}
