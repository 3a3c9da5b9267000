// Stops the platform with one SIGINT, then drops the suite's own database
// (EMPORIUM_KEEP_DATA=1 keeps it for a look after a failure; the next run
// starts fresh either way).
const { join } = require('node:path');

module.exports = async function globalTeardown() {
  // started by `npm test` for several passes: it stops it after the last (scripts/test.mjs)
  if (process.env.EMPORIUM_E2E_PLATFORM === 'running') return;
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
  try {
    // devkit's, built by the platform's start
    await require(join(__dirname, '..', 'apps', 'devkit', 'dist', 'platform')).dropDatabase(run.endpoints.postgres);
  } catch (err) {
    // embedded PostgreSQL stopped with the platform: the next run drops it on start
    console.warn(`the e2e database was not dropped: ${err.message}`);
  }
};
