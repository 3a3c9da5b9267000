import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { LoginForm } from '@/components/login-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('login'))('title') };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const t = await getTranslations('login');
  const { next } = await searchParams;
  return (
    <section className="narrow">
      <h1>{t('title')}</h1>
      <LoginForm next={next} />
    </section>
  );
}
