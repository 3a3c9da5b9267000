/**
 * Named parameters in SQL text: `:name` is replaced by the value of `name`,
 * written as a PostgreSQL literal. Repositories write `WHERE id = :id` and
 * `IN (:ids)` (an array becomes a comma list) instead of counting `$n`.
 *
 * Values are quoted, never pasted: strings become standard literals (with an
 * `E''` form when they hold a backslash, so the server's
 * `standard_conforming_strings` does not matter), numbers must be finite,
 * dates are written in UTC. Objects are refused: JSON goes in as
 * `JSON.stringify(x)` with a `::jsonb` cast in the SQL. A `:name` inside a
 * string, a quoted identifier, a dollar-quoted body or a comment is text,
 * and `::type` casts are left alone.
 */
export type SqlParams = Readonly<Record<string, unknown>>;

export class SqlParamError extends Error {}

/** `value` as a PostgreSQL literal. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new SqlParamError(`${value} cannot be written to SQL`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return quote(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new SqlParamError('an invalid date cannot be written to SQL');
    return quote(value.toISOString());
  }
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'::bytea`;
  if (Array.isArray(value)) return list(value);
  throw new SqlParamError(`a ${Object.prototype.toString.call(value)} cannot be written to SQL; stringify JSON and cast it`);
}

function quote(s: string): string {
  if (s.includes('\0')) throw new SqlParamError('text with a NUL character cannot be stored in PostgreSQL');
  const body = s.replace(/'/g, "''");
  return s.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

/** An array as a comma list (`IN (:ids)`); nested arrays as rows (`IN (:pairs)` → `(a, b), (c, d)`); empty as NULL, which matches nothing. */
function list(values: readonly unknown[]): string {
  if (values.length === 0) return 'NULL';
  return values.map((v) => (Array.isArray(v) ? `(${list(v)})` : sqlLiteral(v))).join(', ');
}

const NAME_AT = /^:([a-z_][0-9a-z_]*)(?=\)|,|$|\s|::|;|\])/i;
const DOLLAR_TAG = /^\$([a-z_][0-9a-z_]*)?\$/i;
const mayPrecede = (c: string | undefined) => c === undefined || /[\s(<>,=[]/.test(c);

/** `sql` with every `:name` replaced by its value's literal; a name without a value is an error, never NULL. */
export function bindNamed(sql: string, params: SqlParams | undefined): string {
  if (!params || !sql.includes(':')) return sql;
  let out = '';
  let from = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'") {
      // a string literal, E'' strings honour backslash escapes
      const escapes = (sql[i - 1] === 'E' || sql[i - 1] === 'e') && mayPrecede(sql[i - 2]);
      for (i++; i < sql.length; i++) {
        if (escapes && sql[i] === '\\') i++;
        else if (sql[i] === "'") {
          if (sql[i + 1] === "'") i++;
          else break;
        }
      }
      if (i >= sql.length) throw new SqlParamError(`unterminated string literal in: ${sql}`);
    } else if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      i = end < 0 ? sql.length : end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '$' && !/[0-9a-z_]/i.test(sql[i - 1] ?? '')) {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 66));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? sql.length : end + tag[0].length - 1;
      }
    } else if (c === ':' && sql[i + 1] !== ':' && sql[i - 1] !== ':' && mayPrecede(sql[i - 1])) {
      const m = NAME_AT.exec(sql.slice(i, i + 66));
      if (!m) continue;
      const name = m[1]!;
      if (!Object.prototype.hasOwnProperty.call(params, name) || params[name] === undefined) {
        throw new SqlParamError(`:${name} has no value`);
      }
      out += sql.slice(from, i) + sqlLiteral(params[name]);
      from = i + name.length + 1;
      i = from - 1;
    }
  }
  return out + sql.slice(from);
}
