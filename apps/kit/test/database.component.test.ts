import { QueryTypes } from 'sequelize';
import { createDatabase, createLogger, type Database } from '@emporium/kit';
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
});
