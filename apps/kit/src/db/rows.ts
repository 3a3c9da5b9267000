/**
 * Rows come back from PostgreSQL in its snake_case; repositories hand the
 * domain camelCase records. `camelRow` renames a row's keys (values are left
 * as they are: money still goes through `moneyOf`), and `CamelRow` is the
 * record's type, so a repository declares its columns once.
 */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
export type CamelRow<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

export function camelRow<T extends object>(row: T): CamelRow<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[camel(k)] = v;
  return out as CamelRow<T>;
}

export function camelRows<T extends object>(rows: readonly T[]): CamelRow<T>[] {
  return rows.map(camelRow);
}
