import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A machine whose only network interface is loopback: a network namespace
 * of its own (unshare --net), where no infrastructure answers, no multicast
 * reaches anything and the suite's own platform is out of sight. `npm run
 * dev` must come up there (embedded PostgreSQL and MQTT, Sentry's mTLS,
 * tokens, app-ids resolved through the SQLite name resolver on 127.0.0.1)
 * and serve a shopper and a merchant as anywhere else. e2e/loopback/probe.mjs
 * runs inside and reports each step.
 */
describe('a machine with only loopback', () => {
  it('when npm run dev starts where lo is the only interface, then it runs on embedded infrastructure with mTLS, and a checkout, a flash sale and the pages work', async () => {
    const state = mkdtempSync(join(tmpdir(), 'emporium-loopback-'));
    // embedded PostgreSQL runs as the `postgres` user when we are root: it must reach its data folder
    chmodSync(state, 0o755);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('EMPORIUM_')) env[k] = v;
    Object.assign(env, { EMPORIUM_STATE_DIR: state, EMPORIUM_SEED: 'off', PAYMENT_TIMEOUT_SECONDS: '120' });
    const root = join(__dirname, '..');
    const child = spawn('unshare', ['--net', '--', process.execPath, join(root, 'e2e', 'loopback', 'probe.mjs')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    rmSync(state, { recursive: true, force: true });
    const steps = Object.fromEntries(
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { step: string })
        .map((s) => [s.step, s]),
    ) as Record<string, Record<string, unknown>>;
    if (code !== 0) throw new Error(`the probe failed (${code}): ${JSON.stringify(steps.failed ?? {}, null, 1).slice(0, 8000)}\n${err.slice(-2000)}`);

    expect(steps.interfaces!.interfaces).toEqual(['lo']);
    expect(steps.up).toMatchObject({ profile: 'embedded', mtls: true });
    expect(steps.checkout).toMatchObject({ card: 303, status: 'paid' });
    expect(steps['flash-sale']!.line).toMatchObject({ priceSource: 'flash-sale', unitPrice: { amount: 990, currency: 'CNY' } });
    for (const [path, status] of Object.entries(steps.pages!.pages as Record<string, number>)) expect([path, status < 400]).toEqual([path, true]);
    expect(steps.stopped).toMatchObject({ code: 0 });
  }, 900_000);
});
