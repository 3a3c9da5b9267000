import type { EventBus } from '@emporium/kit';
import type { PlatformEvents } from '@emporium/contracts';
import type { UserRepository } from '../data/user-repository';

/**
 * Shop owns shops and their staff; identity keeps the roles that go into
 * access tokens. A merchant sees the new role at the next token refresh.
 */
export function subscribeShopRoles(events: EventBus<PlatformEvents>, users: UserRepository): void {
  events.subscribe('shop.approved', async ({ data, transaction }) => {
    await users.grant(data.ownerUserId, 'merchant_owner', data.shopId, transaction);
  });
  events.subscribe('shop-staff.joined', async ({ data, transaction }) => {
    await users.grant(data.userId, data.role, data.shopId, transaction);
  });
}
