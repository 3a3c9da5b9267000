// Starts the whole platform the way a developer does (`npm run dev`) before
// the end-to-end suite, and stops it with one SIGINT afterwards.
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  // `npm test` started it for all its e2e passes (scripts/test.mjs): nothing to do
  if (process.env.EMPORIUM_E2E_PLATFORM === 'running') return;
  const root = join(__dirname, '..');
  let output = '';
  // checkout waits seconds, not minutes, for a payment (DESIGN.md: tests use seconds)
  // the suite's own database, topics and scheduler data (namespace e2e), made fresh for every run and
  // dropped after it, so the developer's storefront never shows what the suite made; no demo data
  const env = {
    ...process.env,
    PAYMENT_TIMEOUT_SECONDS: process.env.PAYMENT_TIMEOUT_SECONDS ?? '15',
    EMPORIUM_NAMESPACE: process.env.EMPORIUM_NAMESPACE ?? 'e2e',
    EMPORIUM_FRESH: '1',
    EMPORIUM_SEED: 'off',
    // hundreds of shoppers register and sign in: scrypt's cost is production's concern, not the suite's
    SCRYPT_COST: process.env.SCRYPT_COST ?? '1024',
    // parcels travel in seconds: a checkpoint every 300 ms (the carrier simulator), quiet for 6 s is stale,
    // and a delivered sub-order completes 8 s after delivery
    CARRIER_STEP_MS: process.env.CARRIER_STEP_MS ?? '300',
    LOGISTICS_SWEEP_MS: process.env.LOGISTICS_SWEEP_MS ?? '500',
    LOGISTICS_STALE_SECONDS: process.env.LOGISTICS_STALE_SECONDS ?? '6',
    AUTO_CONFIRM_SECONDS: process.env.AUTO_CONFIRM_SECONDS ?? '8',
    AUTO_CONFIRM_SWEEP_MS: process.env.AUTO_CONFIRM_SWEEP_MS ?? '500',
  };
  const child = spawn(process.execPath, [join(root, 'scripts', 'dev.mjs')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // a tail only: every request is logged, and the suite runs for minutes
  const keep = (c) => (output = (output + c.toString()).slice(-65_536));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  globalThis.__EMPORIUM_PLATFORM__ = child;
  const deadline = Date.now() + 300_000;
  let up = false;
  child.stdout.on('data', () => (up ||= /Emporium is up/.test(output)));
  while (!up) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited with ${child.exitCode}:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`the platform did not come up:\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  // for the teardown: the database to drop once the platform is down
  globalThis.__EMPORIUM_ENDPOINTS__ = JSON.parse(readFileSync(join(root, '.emporium', 'endpoints.json'), 'utf8'));
};
