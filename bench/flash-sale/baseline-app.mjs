// The flash-sale baselines of `npm run bench:flash-sale`, behind the same
// front as inventory (an Express app reached through Dapr service
// invocation): a PostgreSQL row decremented with
// `UPDATE … SET stock = stock - n WHERE stock >= n`, and a Redis counter
// decremented by a Lua script; and the front alone, a hold answered with no
// store at all (counted in memory), the ceiling of any store behind this
// front. Nothing here is part of the platform.
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

const app = express();
app.use(express.json());
app.post('/setup', async (req, res) => {
  const { sale, quantity } = req.body;
  await pool.query('INSERT INTO bench_baseline.flash_stock (sale, stock) VALUES ($1, $2) ON CONFLICT (sale) DO UPDATE SET stock = EXCLUDED.stock', [sale, quantity]);
  await redis.set(`bench:flash:${sale}`, quantity);
  res.status(204).end();
});
/** holds the front-only route answered, per sale (nothing is stored: this is the front's own cost) */
const frontHeld = new Map();
app.get('/state/:sale', async (req, res) => {
  const { rows } = await pool.query('SELECT stock FROM bench_baseline.flash_stock WHERE sale = $1', [req.params.sale]);
  res.json({ pg: rows[0]?.stock ?? null, redis: Number(await redis.get(`bench:flash:${req.params.sale}`)), front: frontHeld.get(req.params.sale) ?? 0 });
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
app.post('/redis/:sale/holds', async (req, res) => {
  const n = Number(req.body?.quantity ?? 1);
  const left = await redis.flashDecrement(`bench:flash:${req.params.sale}`, n);
  if (left >= 0) res.status(201).json({ quantity: n, left });
  else res.status(409).json({ code: 'sold_out' });
});
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
app.listen(Number(port), '127.0.0.1', () => console.log('ready'));
