import { bindNamed, sqlLiteral, SqlParamError } from './sql';

describe('bindNamed', () => {
  it('when a statement names parameters, then each is written as a literal of its value', () => {
    expect(bindNamed('SELECT * FROM t WHERE id = :id AND n > :n AND ok = :ok AND gone IS :none', { id: 'a', n: 3, ok: true, none: null })).toBe(
      "SELECT * FROM t WHERE id = 'a' AND n > 3 AND ok = true AND gone IS NULL",
    );
    // the same name twice, and at the very end
    expect(bindNamed('SELECT :x, :x', { x: 1 })).toBe('SELECT 1, 1');
    // followed by a cast, a bracket, a semicolon
    expect(bindNamed('SELECT :v::jsonb, a[:i]; ', { v: '{"a":1}', i: 2 })).toBe(`SELECT '{"a":1}'::jsonb, a[2]; `);
  });

  it('when a value is hostile text, then it stays one literal', () => {
    expect(bindNamed('SELECT :s', { s: "x'; DROP TABLE t; --" })).toBe("SELECT 'x''; DROP TABLE t; --'");
    // a backslash makes an E'' literal with it doubled, whatever standard_conforming_strings says
    expect(bindNamed('SELECT :s', { s: "a\\'b" })).toBe("SELECT E'a\\\\''b'");
    expect(() => bindNamed('SELECT :s', { s: 'a\0b' })).toThrow(SqlParamError);
  });

  it('when a value is an array, then it is a comma list, rows for nested arrays, and NULL when empty', () => {
    expect(bindNamed('WHERE id IN (:ids)', { ids: ['a', 'b'] })).toBe("WHERE id IN ('a', 'b')");
    expect(bindNamed('WHERE (a, b) IN (:pairs)', { pairs: [[1, 'x'], [2, 'y']] })).toBe("WHERE (a, b) IN ((1, 'x'), (2, 'y'))");
    expect(bindNamed('WHERE id IN (:ids)', { ids: [] })).toBe('WHERE id IN (NULL)');
  });

  it('when a colon is inside a string, an identifier, a dollar quote, a comment or a cast, then it is left alone', () => {
    const params = { a: 1 };
    expect(bindNamed("SELECT ':a', E'\\':a', \":a\", $$ :a $$, $tag$ :a $tag$, x::text -- :a\n, /* :a */ :a", params)).toBe(
      "SELECT ':a', E'\\':a', \":a\", $$ :a $$, $tag$ :a $tag$, x::text -- :a\n, /* :a */ 1",
    );
    // time literals and slices are not names
    expect(bindNamed("SELECT '10:30', arr[1:2], now() AT TIME ZONE 'UTC'", params)).toBe("SELECT '10:30', arr[1:2], now() AT TIME ZONE 'UTC'");
  });

  it('when a named parameter has no value, then it is an error and never NULL', () => {
    expect(() => bindNamed('SELECT :missing', { other: 1 })).toThrow(':missing has no value');
    expect(() => bindNamed('SELECT :u', { u: undefined })).toThrow(':u has no value');
    expect(() => bindNamed("SELECT :a, 'open", { a: 1 })).toThrow('unterminated');
  });

  it('when a value cannot be written safely, then it is refused', () => {
    expect(() => sqlLiteral({ a: 1 })).toThrow(SqlParamError);
    expect(() => sqlLiteral(Number.NaN)).toThrow(SqlParamError);
    expect(() => sqlLiteral(Infinity)).toThrow(SqlParamError);
    expect(() => sqlLiteral(new Date('nope'))).toThrow(SqlParamError);
    expect(sqlLiteral(new Date(Date.UTC(2026, 11, 2, 4, 5, 6, 7)))).toBe("'2026-12-02T04:05:06.007Z'");
    expect(sqlLiteral(10n ** 20n)).toBe('100000000000000000000');
    expect(sqlLiteral(Buffer.from([0xde, 0xad]))).toBe("'\\xdead'::bytea");
  });

  it('when there are no parameters, then the text is sent as written', () => {
    expect(bindNamed('SELECT 1 WHERE x = :y', undefined)).toBe('SELECT 1 WHERE x = :y');
  });
});
