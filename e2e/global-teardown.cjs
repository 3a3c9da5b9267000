// Stops the platform with one SIGINT, then drops the suite's own database
// (EMPORIUM_KEEP_DATA=1 keeps it for a look after a failure; the next run
// starts fresh either way).
const { Client } = require('pg');

module.exports = async function globalTeardown() {
  const child = globalThis.__EMPORIUM_PLATFORM__;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  const run = globalThis.__EMPORIUM_ENDPOINTS__;
  if (!run?.namespace || process.env.EMPORIUM_KEEP_DATA === '1') return;
  const url = new URL(run.endpoints.postgres);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  try {
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } catch (err) {
    // embedded PostgreSQL stopped with the platform: the next run drops it on start
    console.warn(`the e2e database ${name} was not dropped: ${err.message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
};
