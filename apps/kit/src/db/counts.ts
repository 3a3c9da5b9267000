import type { Database } from './database';

/**
 * Row counts for admin dashboards: per value of `column` (a status), or in
 * total. Table and column are the caller's own identifiers, never input.
 */
export async function countBy(db: Database, table: string, column: string): Promise<Record<string, number>> {
  const rows = await db.query<{ value: string; n: string }>(`SELECT ${column} AS value, count(*) AS n FROM ${table} GROUP BY ${column}`);
  return Object.fromEntries(rows.map((r) => [r.value, Number(r.n)]));
}

export async function countAll(db: Database, table: string): Promise<number> {
  const [row] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}
