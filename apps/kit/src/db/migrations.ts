import './node-navigator';
import { Client } from 'pg';
import type { Logger } from '../logger';
import type { Database, Transaction } from './database';
import type { SqlParams } from './sql';

/** What a migration is given: `query` runs in the migration's own transaction. */
export interface MigrationContext {
  query: (sql: string, params?: SqlParams) => Promise<Record<string, unknown>[]>;
  schema: string;
}

/** One migration, kept beside the service (`src/data/migrations/NNNN-name.ts`). */
export interface Migration {
  name: string;
  up(ctx: MigrationContext): Promise<void>;
}

/**
 * Applies pending migrations in order, each in its own transaction (a
 * migration that fails leaves nothing behind), recorded by name in
 * `<schema>.migrations`. A PostgreSQL advisory lock per schema keeps replicas
 * starting together from running them twice.
 */
export async function migrate(db: Database, migrations: readonly Migration[], logger: Logger): Promise<string[]> {
  const names = new Set<string>();
  for (const m of migrations) {
    if (names.has(m.name)) throw new Error(`migration ${m.name} is listed twice`);
    names.add(m.name);
  }
  const { schema } = db;
  // a session lock on its own connection: migrations run on pool connections
  const lock = new Client({ connectionString: db.url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`emporium-migrate:${schema}`]);
    await db.query(`CREATE TABLE IF NOT EXISTS "${schema}".migrations (name varchar(255) PRIMARY KEY)`);
    const done = new Set((await db.query<{ name: string }>(`SELECT name FROM "${schema}".migrations`)).map((r) => r.name));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await db.transaction(async (t: Transaction) => {
        await m.up({ schema, query: (sql, params) => db.query(sql, params, t) });
        await db.query(`INSERT INTO "${schema}".migrations (name) VALUES (:name)`, { name: m.name }, t);
      });
      applied.push(m.name);
    }
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
    return applied;
  } finally {
    await lock.end().catch(() => undefined); // ending the session releases the lock
  }
}

/** Names of migrations that are known but not applied yet. */
export async function pendingMigrations(db: Database, migrations: readonly Migration[]): Promise<string[]> {
  const rows = await db.query<{ name: string }>(`SELECT name FROM "${db.schema}".migrations`).catch(() => [] as { name: string }[]);
  const done = new Set(rows.map((r) => r.name));
  return migrations.map((m) => m.name).filter((n) => !done.has(n));
}
