import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { CouponList } from '@/components/coupon-list';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { claimableCoupons } from '@/lib/data/coupons';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('coupons'))('title') };
}

/** The coupon centre (领券中心): every coupon open for claiming, the platform's first, each claimable in place. */
export default async function CouponCentre({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const [t, templates] = await Promise.all([getTranslations('coupons'), claimableCoupons()]);
  const ordered = [...templates.filter((c) => c.shopId === null), ...templates.filter((c) => c.shopId !== null)];
  return (
    <section>
      <h1>{t('title')}</h1>
      <p>
        {t('intro')} <Link href="/account/coupons">{t('mine')}</Link>
      </p>
      {ordered.length === 0 ? <p>{t('none')}</p> : <CouponList templates={ordered} locale={locale} back="/coupons" />}
    </section>
  );
}
