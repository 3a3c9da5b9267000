import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { PasswordForm } from '@/components/account-forms';
import { redirect } from '@/i18n/navigation';
import { sessionToken } from '@/lib/data/account';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account'))('password.title') };
}

export default async function ChangePassword({ searchParams }: { searchParams: Promise<{ changed?: string }> }) {
  const [token, { changed }] = await Promise.all([sessionToken(), searchParams]);
  if (!token) return redirect({ href: { pathname: '/login', query: { next: '/account/password' } }, locale: await getLocale() });
  const t = await getTranslations('account');
  return (
    <section className="narrow">
      <h1>{t('password.title')}</h1>
      {changed ? <p role="status">{t('password.changed')}</p> : <PasswordForm formKey={randomUUID()} />}
    </section>
  );
}
