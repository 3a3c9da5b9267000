import { z } from 'zod';
import { createDatabase, createLogger, kitMigrations, loadConfig, migrate } from '@emporium/kit';
import { identityConfig } from '../config';
import { migrations } from '../data/migrations';
import { UserRepository } from '../data/user-repository';
import { ensurePlatformAdmin } from '../domain/accounts';

/**
 * Makes (or promotes) the platform admin; the seed script calls this. There is
 * deliberately no HTTP route that can.
 *   ADMIN_EMAIL=… ADMIN_PASSWORD=… node dist/cli/create-admin.js
 */
async function main(): Promise<void> {
  const config = loadConfig({
    ...identityConfig,
    APP_ID: z.string().default('identity'),
    ADMIN_EMAIL: z.email(),
    ADMIN_PASSWORD: z.string().min(10),
    ADMIN_NAME: z.string().default('Platform admin'),
  });
  const logger = createLogger({ service: 'identity-cli', level: config.LOG_LEVEL });
  const db = await createDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA ?? 'identity', logger });
  try {
    await migrate(db, [...kitMigrations, ...migrations], logger);
    const id = await ensurePlatformAdmin(
      { db, users: new UserRepository(db), settings: { scryptCost: config.SCRYPT_COST } },
      { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, displayName: config.ADMIN_NAME },
    );
    logger.info({ userId: id, email: config.ADMIN_EMAIL }, 'platform admin ready');
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
