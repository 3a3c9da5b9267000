import { ChangeNotifications, createDatabase, createLogger, migrate, notifyChange, pendingMigrations, type Database, type Migration } from '@emporium/kit';
import { dropDatabase, endpointsFromEnv, withDatabase } from '@emporium/devkit/platform';
import { uniqueSuffix } from '@emporium/devkit/testing';

/** The kit's database against the real PostgreSQL: what a snapshot promises a view built from several queries. */
describe('database', () => {
  const schema = 'kit_db';
  // a database of the test's own, dropped after it
  const url = withDatabase(endpointsFromEnv().postgres, `emporium_test_${uniqueSuffix()}`);
  let db: Database;

  beforeAll(async () => {
    db = await createDatabase({ url, schema, logger: createLogger({ service: 'kit-test', level: 'silent' }) });
    await db.query('CREATE TABLE parts (id int PRIMARY KEY, status text NOT NULL)');
    await db.query("INSERT INTO parts VALUES (1, 'before'), (2, 'before')");
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(url);
  });

  const status = (id: number, t?: Parameters<Parameters<Database['snapshot']>[0]>[0]) =>
    db.query<{ status: string }>('SELECT status FROM parts WHERE id = :id', { id }, t).then((r) => r[0]!.status);

  it('when a commit lands between two reads of a snapshot, then both reads see the moment before it', async () => {
    const seen = await db.snapshot(async (t) => {
      const first = await status(1, t);
      // another writer changes both rows at once, between the two reads
      await db.transaction(async (w) => {
        await db.query("UPDATE parts SET status = 'after'", undefined, w);
      });
      return [first, await status(2, t)];
    });
    expect(seen).toEqual(['before', 'before']);
    // outside a snapshot, each query sees the latest commit
    expect([await status(1), await status(2)]).toEqual(['after', 'after']);
  });

  it('when the server ends a connection while its transaction awaits something else, then the transaction fails, the process lives on and the pool serves the next query', async () => {
    const crashed: unknown[] = [];
    const onUncaught = (err: unknown) => crashed.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const failed = db
        .transaction(async (t) => {
          const [row] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', undefined, t);
          // the server goes away for this connection (as when PostgreSQL restarts) while the transaction waits
          await db.query('SELECT pg_terminate_backend(:pid)', { pid: row!.pid });
          await new Promise((r) => setTimeout(r, 300));
          await db.query("UPDATE parts SET status = 'never'", undefined, t);
        })
        .then(
          () => 'committed',
          (err: unknown) => (err as Error).message,
        );
      expect(await failed).toMatch(/terminat|Connection terminated|not queryable/i);
      expect(crashed).toEqual([]);
      expect(await status(1)).not.toBe('never');
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('when a watched row changes, then the watcher wakes at the commit (not before, not for a rollback, not for another key)', async () => {
    const changes = new ChangeNotifications(url, 'parts_changed', createLogger({ service: 'kit-test', level: 'silent' }));
    try {
      const watch = await changes.watch('1');
      const woke = (ms: number) => {
        const started = Date.now();
        return watch.next(ms).then(() => Date.now() - started);
      };
      // another key, and a rolled-back change: no wake, the fallback ends the wait
      await notifyChange(db, 'parts_changed', '2');
      await db.transaction(async (t) => {
        await notifyChange(db, 'parts_changed', '1', t);
        throw new Error('rolled back');
      }).catch(() => undefined);
      expect(await woke(400)).toBeGreaterThanOrEqual(390);
      // a committed change wakes it long before its fallback
      const waiting = woke(10_000);
      await db.transaction(async (t) => {
        await db.query("UPDATE parts SET status = 'changed' WHERE id = 1", undefined, t);
        await notifyChange(db, 'parts_changed', '1', t);
      });
      expect(await waiting).toBeLessThan(2000);
      // one that came while nobody waited is kept for the next wait
      await notifyChange(db, 'parts_changed', '1');
      await new Promise((r) => setTimeout(r, 200));
      expect(await woke(10_000)).toBeLessThan(50);
      // the same key twice in one transaction is one statement and one wake; another key is its own
      const sent: unknown[] = [];
      const counted = Object.assign(Object.create(db) as Database, {
        query: (sql: string, params?: Record<string, unknown>, t?: Parameters<Database['query']>[2]) => (sent.push(params?.key), db.query(sql, params, t)),
      });
      const twice = woke(10_000);
      await db.transaction(async (t) => {
        for (const key of ['1', '3', '1']) await notifyChange(counted, 'parts_changed', key, t);
      });
      expect(await twice).toBeLessThan(2000);
      expect(sent).toEqual(['1', '3']);
      expect(await woke(300)).toBeGreaterThanOrEqual(290);
      watch.close();
    } finally {
      await changes.close();
    }
  });

  it('when a transaction throws, then none of its writes stay and its after-commit callbacks never run; when it commits, they run after', async () => {
    const ran: string[] = [];
    await expect(db.transaction(async (t) => {
      await db.query("INSERT INTO parts VALUES (10, 'doomed')", undefined, t);
      t.afterCommit(() => ran.push('rolled back'));
      await db.query('INSERT INTO parts VALUES (10, :dup)', { dup: 'twice' }, t); // a unique violation
    })).rejects.toMatchObject({ code: '23505', constraint: 'parts_pkey' });
    expect(await db.query('SELECT id FROM parts WHERE id = 10')).toEqual([]);
    const answer = await db.transaction(async (t) => {
      expect(await db.run("INSERT INTO parts VALUES (11, 'kept'), (12, 'kept')", undefined, t)).toBe(2);
      t.afterCommit(() => ran.push('committed'));
      expect(ran).toEqual([]);
      return 'done';
    });
    expect(answer).toBe('done');
    expect(ran).toEqual(['committed']);
    expect(await db.run('DELETE FROM parts WHERE id IN (:ids)', { ids: [11, 12, 13] })).toBe(2);
  });

  it('when values go in and come out, then each keeps its meaning: text stays text, money stays exact, times and dates do not shift', async () => {
    const [row] = await db.query<{ text: string; big: string; at: Date; day: string; doc: { a: number[] }; flag: boolean; none: null }>(
      'SELECT :text::text AS text, :big::bigint AS big, :at::timestamptz AS at, :day::date AS day, :doc::jsonb AS doc, :flag AS flag, :none::text AS none',
      { text: "O'Brien \\ 50% _x_ :notaname", big: '9007199254740993', at: new Date('2026-12-02T23:30:00.000Z'), day: '2026-12-02', doc: JSON.stringify({ a: [1, 2] }), flag: false, none: null },
    );
    expect(row).toEqual({ text: "O'Brien \\ 50% _x_ :notaname", big: '9007199254740993', at: new Date('2026-12-02T23:30:00.000Z'), day: '2026-12-02', doc: { a: [1, 2] }, flag: false, none: null });
  });

  it('when a migration fails half way, then nothing of it stays, it is not recorded, and the next start applies it once it is fixed', async () => {
    const logger = createLogger({ service: 'kit-test', level: 'silent' });
    const first: Migration = {
      name: '0001-first',
      up: async ({ query }) => {
        await query('CREATE TABLE m_one (id int)');
      },
    };
    const broken: Migration = {
      name: '0002-second',
      up: async ({ query }) => {
        await query('CREATE TABLE m_two (id int)');
        await query('ALTER TABLE m_missing ADD COLUMN x int');
      },
    };
    await expect(migrate(db, [first, broken], logger)).rejects.toMatchObject({ code: '42P01' });
    expect(await pendingMigrations(db, [first, broken])).toEqual(['0002-second']);
    expect(await db.query("SELECT to_regclass('m_two') AS t")).toEqual([{ t: null }]);
    const fixed: Migration = {
      name: '0002-second',
      up: async ({ query }) => {
        await query('CREATE TABLE m_two (id int)');
      },
    };
    expect(await migrate(db, [first, fixed], logger)).toEqual(['0002-second']);
    expect(await migrate(db, [first, fixed], logger)).toEqual([]);
    await expect(migrate(db, [first, first], logger)).rejects.toThrow('listed twice');
  });
});
