import { Client } from 'pg';
import { QueryTypes, Sequelize, Transaction } from 'sequelize';
import type { Logger } from '../logger';
import { camelRows, type CamelRow } from './rows';

export interface DatabaseOptions {
  url: string;
  /** The service's own PostgreSQL schema; created when missing. */
  schema: string;
  logger: Logger;
  poolMax?: number;
}

export interface Database {
  readonly sequelize: Sequelize;
  readonly schema: string;
  readonly url: string;
  /** Runs `fn` in one transaction; the transaction commits when it resolves. */
  transaction<T>(fn: (t: Transaction) => Promise<T>): Promise<T>;
  /**
   * Runs reads in one REPEATABLE READ transaction: a view assembled from
   * several queries sees one moment, never half of a commit made meanwhile.
   */
  snapshot<T>(fn: (t: Transaction) => Promise<T>): Promise<T>;
  /** Rows of a SELECT (or RETURNING) as camelCase records; `T` names the columns as PostgreSQL does. */
  select<T extends object>(sql: string, replacements?: Record<string, unknown>, t?: Transaction): Promise<CamelRow<T>[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Creates the database named in `url` when the server does not have it yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const probe = new Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err; // anything but "database does not exist"
  } finally {
    await probe.end().catch(() => undefined);
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw err; // created meanwhile by a sibling
  } finally {
    await client.end();
  }
}

export async function createDatabase(opts: DatabaseOptions): Promise<Database> {
  if (!SCHEMA_NAME.test(opts.schema)) throw new Error(`invalid schema name ${opts.schema}`);
  await ensureDatabase(opts.url);
  const sequelize = new Sequelize(opts.url, {
    dialect: 'postgres',
    logging: (sql) => opts.logger.trace({ sql }, 'sql'),
    pool: { max: opts.poolMax ?? 5, min: 0, idle: 10_000 },
    // every connection resolves unqualified names in the service's schema
    dialectOptions: { options: `-c search_path=${opts.schema}` },
    define: { schema: opts.schema, underscored: true, timestamps: true },
  });
  try {
    await sequelize.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema}"`);
  } catch (err) {
    // two processes creating it at once: one wins with a unique violation
    if ((err as { parent?: { code?: string } }).parent?.code !== '23505') throw err;
  }
  return {
    sequelize,
    schema: opts.schema,
    url: opts.url,
    transaction: (fn) => sequelize.transaction((t) => fn(t)),
    snapshot: (fn) => sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ }, (t) => fn(t)),
    select: async (sql, replacements = {}, t) => camelRows(await sequelize.query(sql, { replacements, type: QueryTypes.SELECT, transaction: t })),
    async ping() {
      await sequelize.query('SELECT 1', { type: QueryTypes.SELECT });
    },
    close: () => sequelize.close(),
  };
}
