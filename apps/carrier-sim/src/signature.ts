import { createHmac } from 'node:crypto';

/**
 * Checkpoint signatures: header `X-Carrier-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<raw body>">`, the scheme of the card provider's
 * webhooks. The receiver recomputes it over the raw bytes and refuses old
 * timestamps, so a captured callback cannot be replayed later.
 */
export const SIGNATURE_HEADER = 'x-carrier-signature';

export function sign(secret: string, body: string, at = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${at}.${body}`).digest('hex');
  return `t=${at},v1=${mac}`;
}
