import { VerifiedTokens, type KeySource } from '@emporium/kit/jwt';

/**
 * Who a request comes from, for the rate limit: the subject of a token that
 * verifies, otherwise the client's address. A forged `X-Forwarded-For` or a
 * random bearer string lands in its sender's address bucket, so neither
 * escapes the limit.
 */

/**
 * The client's address: the socket's peer, unless `trustedHops` proxies
 * (an ingress, a load balancer) stand in front of web; then the address the
 * outermost trusted proxy saw, which is the `trustedHops`-th entry of
 * `X-Forwarded-For` counted from the right. Entries left of it were written
 * by the client and are worth nothing.
 */
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  const peer = remoteAddress ?? 'unknown';
  if (trustedHops === 0) return peer;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const hops = header
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const chain = [...hops, peer];
  return chain[Math.max(0, chain.length - 1 - trustedHops)]!;
}

/**
 * Subjects of verified access tokens (the kit's `VerifiedTokens`: kept until
 * the token expires, at most `max` of them): a client's later requests cost
 * a hash, not a signature check.
 */
export class TokenSubjects {
  private readonly tokens: VerifiedTokens;
  constructor(keys: KeySource, max = 50_000) {
    this.tokens = new VerifiedTokens(keys, max);
  }

  /** The token's subject, or null when it does not verify (expired, forged, random). */
  async subjectOf(token: string, now = Date.now()): Promise<string | null> {
    try {
      return (await this.tokens.verify(token, now)).sub;
    } catch {
      return null;
    }
  }
}

/** The rate limit's name for a request's sender. */
export async function clientOf(authorization: string | undefined, address: string, subjects: TokenSubjects): Promise<string> {
  const bearer = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(authorization ?? '');
  const subject = bearer ? await subjects.subjectOf(bearer[1]!) : null;
  return subject ? `user:${subject}` : `address:${address}`;
}
