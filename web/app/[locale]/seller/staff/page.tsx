import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { MAX_OPEN_STAFF_INVITATIONS } from '@emporium/contracts';
import { InviteForm } from '@/components/seller-forms';
import { SellerNav } from '@/components/seller-nav';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { staffOf } from '@/lib/data/seller';
import { revokeInvitationAction } from '../actions';
import { openShop } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('seller'))('staff.title') };
}

/** Who works for the shop; its owner invites more people by e-mail and sees who has not answered yet. */
export default async function SellerStaff({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const { token, shop, shops } = await openShop('/seller/staff');
  const owner = shop.myRole === 'merchant_owner';
  const [t, staff] = await Promise.all([getTranslations('seller'), staffOf(token, shop.id, owner)]);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: config().PLATFORM_TIME_ZONE });
  return (
    <section>
      <h1>{t('staff.title')}</h1>
      <SellerNav shop={shop} shops={shops} current="/staff" />
      <table>
        <caption className="sr-only">{t('staff.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('staff.who')}</th>
            <th scope="col">{t('staff.role')}</th>
            <th scope="col">{t('staff.since')}</th>
          </tr>
        </thead>
        <tbody>
          {staff.members.map((m) => (
            <tr key={m.userId}>
              <th scope="row" translate="no">
                {m.email ?? shop.contactEmail}
              </th>
              <td>{t(`staff.roles.${m.role}`)}</td>
              <td>{date.format(new Date(m.joinedAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {owner ? (
        <>
          <h2>{t('staff.open')}</h2>
          {staff.open.length === 0 ? <p>{t('staff.noneOpen')}</p> : null}
          <ul>
            {staff.open.map((i) => (
              <li key={i.id}>
                <span translate="no">{i.email}</span> · {t('staff.sent', { date: date.format(new Date(i.createdAt)) })}{' '}
                <form action={revokeInvitationAction} className="form inline" aria-label={t('staff.revokeFor', { email: i.email })}>
                  <input type="hidden" name="invitationId" value={i.id} />
                  <input type="hidden" name="key" value={randomUUID()} />
                  <button type="submit" className="secondary">
                    {t('staff.revoke')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          {staff.open.length >= MAX_OPEN_STAFF_INVITATIONS ? <p className="muted">{t('staff.atLimit', { max: MAX_OPEN_STAFF_INVITATIONS })}</p> : null}
          <InviteForm formKey={randomUUID()} />
        </>
      ) : null}
    </section>
  );
}
