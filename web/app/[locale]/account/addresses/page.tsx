import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { AddressForm } from '@/components/account-forms';
import { redirect } from '@/i18n/navigation';
import { sessionToken } from '@/lib/data/account';
import { myAddresses } from '@/lib/data/orders';
import { removeAddressAction } from '../actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account'))('addresses') };
}

/** The address book: each address editable in place (one is the default), removable, and a form for another. */
export default async function AddressBook() {
  const token = await sessionToken();
  if (!token) return redirect({ href: { pathname: '/login', query: { next: '/account/addresses' } }, locale: await getLocale() });
  const [t, addresses] = await Promise.all([getTranslations('account'), myAddresses(token)]);
  return (
    <section className="narrow-wide">
      <h1>{t('addresses')}</h1>
      {addresses.length === 0 ? <p>{t('noAddresses')}</p> : null}
      {addresses.map((a) => (
        <article key={a.id} className="card" aria-label={`${a.recipient}, ${a.street}`}>
          <p>
            <strong>{a.recipient}</strong> {a.isDefault ? <span className="status paid">({t('default')})</span> : null}
            <br />
            {a.phone} · {a.province} {a.city} {a.district} {a.street} {a.postalCode ?? ''}
          </p>
          <details>
            <summary>{t('editAddress', { recipient: a.recipient })}</summary>
            <AddressForm formKey={randomUUID()} address={a} back="account" />
          </details>
          <form action={removeAddressAction}>
            <input type="hidden" name="addressId" value={a.id} />
            <button type="submit" className="secondary" aria-label={`${t('remove')}: ${a.recipient}, ${a.street}`}>
              {t('remove')}
            </button>
          </form>
        </article>
      ))}
      <AddressForm formKey={randomUUID()} back="account" />
    </section>
  );
}
