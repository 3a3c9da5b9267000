import './node-navigator';
import { Client, Pool, types, type PoolClient, type QueryResult } from 'pg';
import type { Logger } from '../logger';
import { isTransient } from '../transient';
import { camelRows, type CamelRow } from './rows';
import { bindNamed, type SqlParams } from './sql';

export interface DatabaseOptions {
  url: string;
  /** The service's own PostgreSQL schema; created when missing. */
  schema: string;
  logger: Logger;
  poolMax?: number;
  /** how long a start waits for a database that cannot be reached yet (120 s) */
  startupWaitMs?: number;
}

/**
 * One transaction: pass it to every query that belongs in it. `afterCommit`
 * runs a callback once the transaction has committed (never after a rollback).
 */
export interface Transaction {
  readonly client: PoolClient;
  afterCommit(fn: () => void): void;
}

export interface Database {
  readonly schema: string;
  readonly url: string;
  /** Rows of a statement as PostgreSQL names them (`:name` parameters, see `bindNamed`); in `t` when given. */
  query<T extends object = Record<string, unknown>>(sql: string, params?: SqlParams, t?: Transaction): Promise<T[]>;
  /** Runs a statement and returns how many rows it touched. */
  run(sql: string, params?: SqlParams, t?: Transaction): Promise<number>;
  /** Rows of a SELECT (or RETURNING) as camelCase records; `T` names the columns as PostgreSQL does. */
  select<T extends object>(sql: string, params?: SqlParams, t?: Transaction): Promise<CamelRow<T>[]>;
  /** Runs `fn` in one transaction; the transaction commits when it resolves and rolls back when it throws. */
  transaction<T>(fn: (t: Transaction) => Promise<T>): Promise<T>;
  /**
   * Runs reads in one REPEATABLE READ transaction: a view assembled from
   * several queries sees one moment, never half of a commit made meanwhile.
   */
  snapshot<T>(fn: (t: Transaction) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// `date` columns come back as 'YYYY-MM-DD' text: read as a JS Date they would
// shift by the process's time zone. Every other type as node-postgres reads it
// (int8 and numeric as strings, timestamptz as Date, json as values).
const DATE_OID = 1082;
const textParser = types.getTypeParser.bind(types) as (oid: number) => (value: string) => unknown;
const typeParsers = { getTypeParser: (oid: number) => (oid === DATE_OID ? (v: string) => v : textParser(oid)) };

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

class Tx implements Transaction {
  readonly hooks: (() => void)[] = [];
  constructor(readonly client: PoolClient) {}
  afterCommit(fn: () => void): void {
    this.hooks.push(fn);
  }
}

export async function createDatabase(opts: DatabaseOptions): Promise<Database> {
  if (!SCHEMA_NAME.test(opts.schema)) throw new Error(`invalid schema name ${opts.schema}`);
  const { logger } = opts;
  // a service that starts while its database is away (restarting, still recovering: 57P03) waits for it, rather
  // than exit and leave its sidecar waiting for an app that never listens (the chaos suite's payment+postgres run)
  const waitUntil = Date.now() + (opts.startupWaitMs ?? 120_000);
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureDatabase(opts.url);
      break;
    } catch (err) {
      if (!isTransient(err) || Date.now() > waitUntil) throw err;
      if (attempt === 1 || attempt % 10 === 0) logger.warn({ err, attempt }, 'the database cannot be reached yet; waiting for it before starting');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const pool = new Pool({
    connectionString: opts.url,
    max: opts.poolMax ?? 5,
    idleTimeoutMillis: 10_000,
    // waiting longer than this for a free connection is an error, not a queue without end
    connectionTimeoutMillis: 60_000,
    // every connection resolves unqualified names in the service's schema and speaks UTC
    options: `-c search_path=${opts.schema} -c TimeZone=UTC -c client_min_messages=warning`,
    types: typeParsers,
  });
  // an idle connection that breaks (the server restarted) is dropped by the pool; without a listener it would crash the process
  pool.on('error', (err) => logger.warn({ err }, 'an idle database connection broke; the pool opens another'));

  const trace = logger.isLevelEnabled('trace');
  const exec = (sql: string, params: SqlParams | undefined, t: Transaction | undefined): Promise<QueryResult> => {
    const text = bindNamed(sql, params);
    if (trace) logger.trace({ sql: text }, 'sql');
    return (t ? t.client : pool).query(text);
  };
  const rowsOf = (r: QueryResult | QueryResult[]): Record<string, unknown>[] => (Array.isArray(r) ? (r.at(-1)?.rows ?? []) : r.rows) as Record<string, unknown>[];

  async function transaction<T>(begin: string, fn: (t: Transaction) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    // the pool listens for errors on idle connections only: a checked-out one whose server goes away
    // between two queries (the transaction awaits something else) emits 'error' with nobody listening,
    // which crashed the process when the chaos suite killed PostgreSQL; its next query fails instead
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
      logger.warn({ err }, 'a database connection broke inside a transaction; it is rolled back');
    };
    client.on('error', onError);
    const tx = new Tx(client);
    let result: T;
    try {
      await client.query(begin);
      result = await fn(tx);
      await client.query('COMMIT');
    } catch (err) {
      // the listener stays until the connection is back in the pool (which listens itself): a server that
      // went away answers the failed statement with 57P01 and only then resets the socket, during the
      // ROLLBACK, whose 'error' event crashed order in the chaos suite's database run
      try {
        if (broken) throw broken;
        await client.query('ROLLBACK');
        client.off('error', onError);
        client.release();
      } catch (rollbackErr) {
        client.off('error', onError);
        client.release(rollbackErr as Error); // a broken connection leaves the pool
      }
      throw err;
    }
    client.off('error', onError);
    client.release();
    for (const hook of tx.hooks) {
      try {
        hook();
      } catch (err) {
        logger.warn({ err }, 'an after-commit callback failed; the transaction stays committed');
      }
    }
    return result;
  }

  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema}"`);
  } catch (err) {
    // two processes creating it at once: one wins with a unique violation
    if ((err as { code?: string }).code !== '23505') throw err;
  }
  return {
    schema: opts.schema,
    url: opts.url,
    query: async <T extends object>(sql: string, params?: SqlParams, t?: Transaction) => rowsOf(await exec(sql, params, t)) as T[],
    run: async (sql, params, t) => {
      const r = (await exec(sql, params, t)) as QueryResult | QueryResult[];
      return Array.isArray(r) ? r.reduce((n, x) => n + (x.rowCount ?? 0), 0) : (r.rowCount ?? 0);
    },
    select: async <T extends object>(sql: string, params?: SqlParams, t?: Transaction) => camelRows(rowsOf(await exec(sql, params, t)) as T[]),
    transaction: (fn) => transaction('BEGIN', fn),
    snapshot: (fn) => transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
    async ping() {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}
