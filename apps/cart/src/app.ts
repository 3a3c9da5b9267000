import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { cartConfig } from './config';
import { migrations } from './data/migrations';
import { cartRoutes } from './routes/cart-routes';
import type { CartContext } from './domain/cart-context';

/** cart: carts per user and per guest, in the Dapr state store with ETags. */
export const cartService: ServiceDefinition<typeof cartConfig, PlatformEvents> = {
  appId: AppIds.cart,
  schema: 'cart',
  migrations,
  config: cartConfig,
  build({ config, sidecar, logger }) {
    const ctx: CartContext = { sidecar, logger, guestTtlSeconds: config.GUEST_CART_TTL_DAYS * 86_400, maxLines: config.MAX_CART_LINES };
    return { routes: [cartRoutes(ctx, jwksFromIdentity(sidecar))] };
  },
};
