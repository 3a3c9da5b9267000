import { Client } from 'pg';
import { QueryTypes, type QueryInterface, type Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Logger } from '../logger';
import type { Database } from './database';

/** One migration, kept beside the service (`src/data/migrations/NNNN-name.ts`). */
export interface Migration {
  name: string;
  up(ctx: { queryInterface: QueryInterface; sequelize: Sequelize; schema: string }): Promise<void>;
  down?(ctx: { queryInterface: QueryInterface; sequelize: Sequelize; schema: string }): Promise<void>;
}

/**
 * Applies pending migrations in order, recorded in `<schema>.migrations`.
 * A PostgreSQL advisory lock per schema keeps replicas starting together from
 * running them twice.
 */
export async function migrate(db: Database, migrations: readonly Migration[], logger: Logger): Promise<string[]> {
  const names = new Set<string>();
  for (const m of migrations) {
    if (names.has(m.name)) throw new Error(`migration ${m.name} is listed twice`);
    names.add(m.name);
  }
  const { sequelize, schema } = db;
  const ctx = { queryInterface: sequelize.getQueryInterface(), sequelize, schema };
  const umzug = new Umzug({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: () => m.up(ctx),
      down: async () => {
        if (!m.down) throw new Error(`migration ${m.name} cannot be undone`);
        await m.down(ctx);
      },
    })),
    storage: new SequelizeStorage({ sequelize, schema, tableName: 'migrations' }),
    logger: undefined,
  });
  // a session lock on its own connection: migrations run on pool connections
  const lock = new Client({ connectionString: db.url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`emporium-migrate:${schema}`]);
    const applied = await umzug.up();
    if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    return applied.map((m) => m.name);
  } finally {
    await lock.end().catch(() => undefined); // ending the session releases the lock
  }
}

/** Names of migrations that are known but not applied yet. */
export async function pendingMigrations(db: Database, migrations: readonly Migration[]): Promise<string[]> {
  const rows = await db.sequelize
    .query<{ name: string }>(`SELECT name FROM "${db.schema}".migrations`, { type: QueryTypes.SELECT })
    .catch(() => [] as { name: string }[]);
  const done = new Set(rows.map((r) => r.name));
  return migrations.map((m) => m.name).filter((n) => !done.has(n));
}
