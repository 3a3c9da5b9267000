'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { logInAction, type LoginState } from '@/app/[locale]/login/actions';

export function LoginForm({ next }: { next: string | undefined }) {
  const t = useTranslations('login');
  const [state, action, pending] = useActionState<LoginState, FormData>(logInAction, { error: null, login: '' });
  return (
    <form action={action} className="form" noValidate>
      {state.error ? (
        <p role="alert" className="error" id="login-error">
          {state.error}
        </p>
      ) : null}
      <label htmlFor="login">{t('login')}</label>
      <input id="login" name="login" type="text" autoComplete="username" required defaultValue={state.login} aria-describedby={state.error ? 'login-error' : undefined} />
      <label htmlFor="password">{t('password')}</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <button type="submit" disabled={pending}>
        {t('submit')}
      </button>
    </form>
  );
}
