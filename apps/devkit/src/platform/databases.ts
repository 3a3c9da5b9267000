import { Client } from 'pg';
import { ensureDatabase } from '@emporium/kit';

/**
 * Databases of their own for tests, the end-to-end suite and benchmarks, so
 * none of them writes into the developer's `emporium` (whose storefront
 * would show every bench product and flash sale a run ever made).
 */

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The same server, another database. */
export function withDatabase(url: string, name: string): string {
  if (!DATABASE_NAME.test(name)) throw new Error(`invalid database name ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The database a URL names (`emporium` when it names none). */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || 'emporium';
}

/** The developer's database with a namespace: `emporium` → `emporium_e2e`. */
export function namespacedDatabase(url: string, namespace: string | undefined): string {
  if (!namespace) return url;
  return withDatabase(url, `${databaseOf(url)}_${namespace.replace(/-/g, '_')}`.slice(0, 63));
}

/** Drops the database named in `url`, ending its sessions first (a crashed run's pools included). */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseOf(url);
  if (name === 'postgres' || name === 'template0' || name === 'template1') throw new Error(`refusing to drop ${name}`);
  const admin = withDatabase(url, 'postgres');
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** A database made empty for this run: dropped when left by an earlier one, then created. */
export async function freshDatabase(url: string): Promise<void> {
  await dropDatabase(url);
  await ensureDatabase(url);
}
