import { QueryTypes } from 'sequelize';
import { ChangeNotifications, createDatabase, createLogger, notifyChange, type Database } from '@emporium/kit';
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
    await db.sequelize.query('CREATE TABLE parts (id int PRIMARY KEY, status text NOT NULL)');
    await db.sequelize.query("INSERT INTO parts VALUES (1, 'before'), (2, 'before')");
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(url);
  });

  const status = (id: number, t?: Parameters<Parameters<Database['snapshot']>[0]>[0]) =>
    db.sequelize.query<{ status: string }>('SELECT status FROM parts WHERE id = :id', { replacements: { id }, type: QueryTypes.SELECT, transaction: t }).then((r) => r[0]!.status);

  it('when a commit lands between two reads of a snapshot, then both reads see the moment before it', async () => {
    const seen = await db.snapshot(async (t) => {
      const first = await status(1, t);
      // another writer changes both rows at once, between the two reads
      await db.transaction(async (w) => {
        await db.sequelize.query("UPDATE parts SET status = 'after'", { transaction: w });
      });
      return [first, await status(2, t)];
    });
    expect(seen).toEqual(['before', 'before']);
    // outside a snapshot, each query sees the latest commit
    expect([await status(1), await status(2)]).toEqual(['after', 'after']);
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
        await db.sequelize.query("UPDATE parts SET status = 'changed' WHERE id = 1", { transaction: t });
        await notifyChange(db, 'parts_changed', '1', t);
      });
      expect(await waiting).toBeLessThan(2000);
      // one that came while nobody waited is kept for the next wait
      await notifyChange(db, 'parts_changed', '1');
      await new Promise((r) => setTimeout(r, 200));
      expect(await woke(10_000)).toBeLessThan(50);
      watch.close();
    } finally {
      await changes.close();
    }
  });
});
