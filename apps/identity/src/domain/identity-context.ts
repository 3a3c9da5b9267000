import type { EventBus, Logger, Database } from '@emporium/kit';
import type { PlatformEvents } from '@emporium/contracts';
import type { UserRepository } from '../data/user-repository';
import type { SessionRepository } from '../data/session-repository';
import type { CompanyRepository } from '../data/company-repository';
import type { SigningKeys } from './signing-keys';

/** What identity's use-cases need; built once in app.ts. */
export interface IdentityContext {
  db: Database;
  users: UserRepository;
  sessions: SessionRepository;
  companies: CompanyRepository;
  events: EventBus<PlatformEvents>;
  keys: () => Promise<SigningKeys>;
  logger: Logger;
  settings: {
    accessTtlSeconds: number;
    refreshTtlDays: number;
    refreshReuseGraceSeconds: number;
    loginWindowSeconds: number;
    maxFailuresPerAccount: number;
    maxFailuresPerAddress: number;
    scryptCost: number;
  };
}
