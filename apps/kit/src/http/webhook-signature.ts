import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature outside parties put on the webhooks they send us (the card
 * provider, the tracking provider): `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">`. Checked over the raw bytes with a constant-time
 * compare, and refused when older than `toleranceSeconds`, so a captured
 * webhook cannot be replayed later.
 */
export function verifyWebhookSignature(secret: string, rawBody: Buffer | string, header: string | undefined, now = Date.now(), toleranceSeconds = 300): { ok: true } | { ok: false; reason: string } {
  if (!header) return { ok: false, reason: 'no signature' };
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const at = Number(parts.t);
  if (!Number.isInteger(at) || !parts.v1 || !/^[0-9a-f]{64}$/.test(parts.v1)) return { ok: false, reason: 'malformed signature' };
  if (Math.abs(now / 1000 - at) > toleranceSeconds) return { ok: false, reason: 'signature too old' };
  const expected = createHmac('sha256', secret).update(`${at}.`).update(rawBody).digest();
  const given = Buffer.from(parts.v1, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}
