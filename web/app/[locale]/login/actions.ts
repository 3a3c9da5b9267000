'use server';

import { cookies } from 'next/headers';
import { getLocale, getTranslations } from 'next-intl/server';
import { redirect } from '@/i18n/navigation';
import { logIn, logOut, refreshTokenOfSession } from '@/lib/data/account';
import { mergeGuestCart } from '@/lib/data/cart';
import { logLine } from '@/lib/log';
import { safePath } from '@/lib/safe-path';
import { clearSession, writeSession } from '@/lib/session';

export interface LoginState {
  error: string | null;
  login: string;
}


export async function logInAction(_prev: LoginState, form: FormData): Promise<LoginState> {
  const t = await getTranslations('login');
  const field = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : '';
  };
  const login = field('login').trim();
  const password = field('password');
  if (login.length < 3 || password.length === 0) return { error: t('missing'), login };
  let pair;
  try {
    pair = await logIn(login, password);
  } catch (err) {
    // the shopper is told to try again; the log says why
    logLine('warn', 'sign-in failed: identity could not be asked', { error: err instanceof Error ? err.message : String(err) });
    return { error: t('unavailable'), login };
  }
  if (!pair) return { error: t('wrong'), login };
  writeSession(await cookies(), pair);
  await mergeGuestCart(pair.accessToken);
  redirect({ href: safePath(form.get('next'), '/account'), locale: await getLocale() });
  return { error: null, login };
}

export async function logOutAction(): Promise<void> {
  const refresh = await refreshTokenOfSession();
  if (refresh) await logOut(refresh);
  clearSession(await cookies());
  redirect({ href: '/', locale: await getLocale() });
}
