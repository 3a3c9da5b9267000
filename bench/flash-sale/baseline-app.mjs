// The flash-sale baselines of `npm run bench:flash-sale`, behind the same
// front as inventory (an Express app reached through Dapr service
// invocation): a PostgreSQL row decremented with
// `UPDATE … SET stock = stock - n WHERE stock >= n`, and a Redis counter
// decremented by a Lua script; the same work as the flash sale's done in
// PostgreSQL (a retried key answered again, the shopper's limit, a hold row
// with its expiry, the stock), one transaction a hold; and the front alone,
// a hold answered with no store at all (counted in memory), the ceiling of
// any store behind this front. Nothing here is part of the platform.
//   node baseline-app.mjs <port> <postgres-url> <redis-host:port>
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const express = require('express');
const { Pool } = require('pg');
const Redis = require('ioredis');

const [port, pgUrl, redisHost] = process.argv.slice(2);
const pool = new Pool({ connectionString: pgUrl, max: 10 });
const [host, redisPort] = redisHost.split(':');
const redis = new Redis({ host, port: Number(redisPort ?? 6379), lazyConnect: false });
const DECREMENT = `
local left = tonumber(redis.call('GET', KEYS[1]) or '0')
local n = tonumber(ARGV[1])
if left >= n then return redis.call('DECRBY', KEYS[1], n) end
return -1`;

// EVALSHA after the first call, as a production client would
redis.defineCommand('flashDecrement', { numberOfKeys: 1, lua: DECREMENT });

await pool.query('CREATE SCHEMA IF NOT EXISTS bench_baseline');
await pool.query('CREATE TABLE IF NOT EXISTS bench_baseline.flash_stock (sale text PRIMARY KEY, stock integer NOT NULL CHECK (stock >= 0))');
await pool.query('CREATE TABLE IF NOT EXISTS bench_baseline.flash_user (sale text, user_id text, used integer NOT NULL, PRIMARY KEY (sale, user_id))');
await pool.query('CREATE TABLE IF NOT EXISTS bench_baseline.flash_hold (sale text, key text, user_id text NOT NULL, quantity integer NOT NULL, expires_at timestamptz NOT NULL, PRIMARY KEY (sale, key))');

/** per sale, the shopper's limit of the same-work baseline (`/setup`'s `perUserLimit`) */
const perUserLimit = new Map();

const app = express();
app.use(express.json());
app.post('/setup', async (req, res) => {
  const { sale, quantity, perUserLimit: limit } = req.body;
  if (limit !== undefined) perUserLimit.set(sale, limit);
  await pool.query('INSERT INTO bench_baseline.flash_stock (sale, stock) VALUES ($1, $2) ON CONFLICT (sale) DO UPDATE SET stock = EXCLUDED.stock', [sale, quantity]);
  await redis.set(`bench:flash:${sale}`, quantity);
  res.status(204).end();
});
/** holds the front-only route answered, per sale (nothing is stored: this is the front's own cost) */
const frontHeld = new Map();
app.get('/state/:sale', async (req, res) => {
  const { rows } = await pool.query('SELECT stock FROM bench_baseline.flash_stock WHERE sale = $1', [req.params.sale]);
  const pg = rows[0]?.stock ?? null;
  // both PostgreSQL routes take their units from the same stock row
  res.json({ pg, 'pg-same-work': pg, redis: Number(await redis.get(`bench:flash:${req.params.sale}`)), front: frontHeld.get(req.params.sale) ?? 0 });
});
app.post('/front/:sale/holds', (req, res) => {
  const n = Number(req.body?.quantity ?? 1);
  frontHeld.set(req.params.sale, (frontHeld.get(req.params.sale) ?? 0) + n);
  res.status(201).json({ quantity: n });
});
app.post('/pg/:sale/holds', async (req, res) => {
  const n = Number(req.body?.quantity ?? 1);
  const { rows } = await pool.query('UPDATE bench_baseline.flash_stock SET stock = stock - $2 WHERE sale = $1 AND stock >= $2 RETURNING stock', [req.params.sale, n]);
  if (rows.length) res.status(201).json({ quantity: n, left: rows[0].stock });
  else res.status(409).json({ code: 'sold_out' });
});
const HOLD_SECONDS = 600;
/**
 * The flash sale's work written the way a careful PostgreSQL service would: one transaction that
 * claims the request's key first (a retry, at once or later, waits for the first and answers its
 * hold), keeps the shopper's limit, and touches the hot stock row last so its lock is held only for
 * that UPDATE and the COMMIT. The body names the shopper (`user`, no token is checked here) and the
 * request's key (`key`).
 */
app.post('/pg-same-work/:sale/holds', async (req, res) => {
  const n = req.body?.quantity ?? 1;
  const { user, key } = req.body ?? {};
  const sale = req.params.sale;
  const limit = perUserLimit.get(sale);
  if (!Number.isInteger(n) || n < 1 || typeof user !== 'string' || !user || typeof key !== 'string' || !key || limit === undefined) {
    return res.status(400).json({ code: 'bad_request' });
  }
  if (n > limit) return res.status(409).json({ code: 'limit_reached' });
  const client = await pool.connect();
  let broken;
  try {
    await client.query('BEGIN');
    const claimed = await client.query(
      `INSERT INTO bench_baseline.flash_hold (sale, key, user_id, quantity, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
       ON CONFLICT (sale, key) DO NOTHING RETURNING quantity`,
      [sale, key, user, n, HOLD_SECONDS],
    );
    if (!claimed.rows.length) {
      await client.query('ROLLBACK');
      const { rows } = await client.query('SELECT quantity FROM bench_baseline.flash_hold WHERE sale = $1 AND key = $2', [sale, key]);
      return res.status(201).json({ quantity: rows[0].quantity });
    }
    const used = await client.query(
      `INSERT INTO bench_baseline.flash_user (sale, user_id, used) VALUES ($1, $2, $3)
       ON CONFLICT (sale, user_id) DO UPDATE SET used = flash_user.used + EXCLUDED.used WHERE flash_user.used + EXCLUDED.used <= $4 RETURNING used`,
      [sale, user, n, limit],
    );
    if (!used.rows.length) {
      await client.query('ROLLBACK');
      return res.status(409).json({ code: 'limit_reached' });
    }
    const stock = await client.query('UPDATE bench_baseline.flash_stock SET stock = stock - $2 WHERE sale = $1 AND stock >= $2 RETURNING stock', [sale, n]);
    if (!stock.rows.length) {
      await client.query('ROLLBACK');
      return res.status(409).json({ code: 'sold_out' });
    }
    await client.query('COMMIT');
    res.status(201).json({ quantity: n, left: stock.rows[0].stock });
  } catch (err) {
    broken = err;
    await client.query('ROLLBACK').catch(() => {});
    res.status(500).json({ code: 'error', detail: String(err) });
  } finally {
    // a connection that failed is closed rather than handed to the next request
    client.release(broken);
  }
});
app.post('/redis/:sale/holds', async (req, res) => {
  const n = Number(req.body?.quantity ?? 1);
  const left = await redis.flashDecrement(`bench:flash:${req.params.sale}`, n);
  if (left >= 0) res.status(201).json({ quantity: n, left });
  else res.status(409).json({ code: 'sold_out' });
});
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
app.listen(Number(port), '127.0.0.1', () => console.log('ready'));
