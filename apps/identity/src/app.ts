import { AppIds, type PlatformEvents } from '@emporium/contracts';
import type { ServiceDefinition } from '@emporium/kit';
import { identityConfig } from './config';
import { CompanyRepository } from './data/company-repository';
import { migrations } from './data/migrations';
import { SessionRepository } from './data/session-repository';
import { UserRepository } from './data/user-repository';
import type { IdentityContext } from './domain/identity-context';
import { lazySigningKeys, loadSigningKeys } from './domain/signing-keys';
import { accountRoutes } from './routes/account-routes';
import { authRoutes } from './routes/auth-routes';
import { subscribeShopRoles } from './events/shop-roles.handler';

/** identity: users, credentials, sessions and roles; B2B companies and their buyers. */
export const identityService: ServiceDefinition<typeof identityConfig, PlatformEvents> = {
  appId: AppIds.identity,
  schema: 'identity',
  migrations,
  config: identityConfig,
  build({ config, db, sidecar, events, logger }) {
    const keys = lazySigningKeys(() => loadSigningKeys(sidecar, config.SECRET_STORE, config.SIGNING_KEY_SECRET, config.SIGNING_KEY_SECRET_KEY));
    const users = new UserRepository(db);
    subscribeShopRoles(events, users);
    const ctx: IdentityContext = {
      db,
      users,
      sessions: new SessionRepository(db),
      companies: new CompanyRepository(db),
      events,
      keys,
      logger,
      settings: {
        accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
        refreshReuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS,
        loginWindowSeconds: config.LOGIN_WINDOW_SECONDS,
        maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        maxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
        scryptCost: config.SCRYPT_COST,
      },
    };
    const verifying = { keys: async () => (await keys()).verifying };
    return {
      routes: [authRoutes(ctx), accountRoutes(ctx, verifying)],
      readiness: [
        {
          name: 'signing-key',
          check: async () => {
            await keys();
          },
        },
      ],
    };
  },
};
