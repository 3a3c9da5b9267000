import { createHash, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { AccessClaims, type Jwks } from '@emporium/contracts';
import { UnauthenticatedError } from '../errors';

/**
 * EdDSA (Ed25519) JSON Web Tokens with node:crypto. Only `alg: EdDSA` with a
 * known `kid` is accepted; `exp`, `iss` and `aud` are checked, and the claims
 * must match the contract.
 */

const b64url = (buf: Buffer) => buf.toString('base64url');
const fromB64url = (s: string) => Buffer.from(s, 'base64url');

export const ISSUER = 'emporium-identity';
export const AUDIENCE = 'emporium';

/** RFC 7638 thumbprint of an Ed25519 public key: its key id. */
export function keyId(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return b64url(createHash('sha256').update(canonical).digest());
}

export function jwksOf(publicKeys: readonly KeyObject[]): Jwks {
  return {
    keys: publicKeys.map((k) => {
      const jwk = k.export({ format: 'jwk' });
      return { kty: 'OKP' as const, crv: 'Ed25519' as const, x: jwk.x!, kid: keyId(k), alg: 'EdDSA' as const, use: 'sig' as const };
    }),
  };
}

export function publicKeysFromJwks(jwks: Jwks): Map<string, KeyObject> {
  return new Map(jwks.keys.map((k) => [k.kid, createPublicKey({ key: { kty: k.kty, crv: k.crv, x: k.x }, format: 'jwk' })]));
}

export function signAccessToken(
  claims: Pick<AccessClaims, 'sub' | 'email' | 'roles'>,
  privateKey: KeyObject,
  publicKey: KeyObject,
  ttlSeconds: number,
  now = Date.now(),
): string {
  const iat = Math.floor(now / 1000);
  const header = { alg: 'EdDSA', typ: 'JWT', kid: keyId(publicKey) };
  const payload: AccessClaims = { iss: ISSUER, aud: AUDIENCE, sub: claims.sub, email: claims.email, roles: claims.roles, iat, exp: iat + ttlSeconds, jti: randomUUID() };
  const input = `${b64url(Buffer.from(JSON.stringify(header)))}.${b64url(Buffer.from(JSON.stringify(payload)))}`;
  return `${input}.${b64url(sign(null, Buffer.from(input), privateKey))}`;
}

/** Verifies a token against the known keys; throws UnauthenticatedError with a reason. */
export function verifyAccessToken(token: string, keys: ReadonlyMap<string, KeyObject>, now = Date.now()): AccessClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new UnauthenticatedError('malformed token');
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = JSON.parse(fromB64url(h).toString('utf8')) as typeof header;
  } catch {
    throw new UnauthenticatedError('malformed token');
  }
  if (header.alg !== 'EdDSA' || typeof header.kid !== 'string') throw new UnauthenticatedError('unsupported token');
  const key = keys.get(header.kid);
  if (!key) throw new UnknownKeyError(header.kid);
  if (!verify(null, Buffer.from(`${h}.${p}`), key, fromB64url(s))) throw new UnauthenticatedError('bad signature');
  let raw: unknown;
  try {
    raw = JSON.parse(fromB64url(p).toString('utf8'));
  } catch {
    throw new UnauthenticatedError('malformed token');
  }
  const claims = AccessClaims.safeParse(raw);
  if (!claims.success) throw new UnauthenticatedError('unexpected claims');
  if (claims.data.exp * 1000 <= now) throw new UnauthenticatedError('token expired');
  return claims.data;
}

/** The token names a key this service does not know (yet): refresh the key set once. */
export class UnknownKeyError extends UnauthenticatedError {
  constructor(readonly kid: string) {
    super('unknown signing key');
  }
}

/** Where verifying keys come from: identity's own keys, or its JWKS fetched and cached. */
export interface KeySource {
  keys(refresh?: boolean): Promise<ReadonlyMap<string, KeyObject>>;
}

export function staticKeys(keys: ReadonlyMap<string, KeyObject>): KeySource {
  return { keys: () => Promise.resolve(keys) };
}

/** A JWKS fetched by `fetchJwks` and cached for `ttlMs`; fetched again on an unknown kid (at most every 30 s), one fetch at a time. */
export function cachedJwks(fetchJwks: () => Promise<Jwks>, ttlMs = 5 * 60_000): KeySource {
  let cached: { keys: Map<string, KeyObject>; at: number } | undefined;
  let inFlight: Promise<Map<string, KeyObject>> | undefined;
  const fetchKeys = () =>
    (inFlight ??= fetchJwks()
      .then((body) => {
        const keys = publicKeysFromJwks(body);
        cached = { keys, at: Date.now() };
        return keys;
      })
      .finally(() => (inFlight = undefined)));
  return {
    async keys(refresh = false) {
      const age = cached ? Date.now() - cached.at : Infinity;
      if (cached && age < ttlMs && !(refresh && age > 30_000)) return cached.keys;
      return fetchKeys();
    },
  };
}

/** Verifies a token against a key source, asking it once more when the token names a key it does not know yet. */
export async function verifyWith(token: string, source: KeySource, now = Date.now()): Promise<AccessClaims> {
  try {
    return verifyAccessToken(token, await source.keys(), now);
  } catch (err) {
    if (!(err instanceof UnknownKeyError)) throw err;
    return verifyAccessToken(token, await source.keys(true), now);
  }
}

/**
 * Access tokens already verified, kept until they expire: a client's later
 * requests cost a SHA-256 of the token and a map lookup, not an Ed25519
 * check and a claims parse (services verify every authenticated request,
 * and a shopper's page or a flash-sale rush sends the same token again and
 * again). An entry holds only while its signing key is still in the key
 * set, so a key withdrawn from identity's JWKS ends its tokens here at the
 * next key refresh as it would without the cache. At most `max` entries,
 * the least recently used forgotten first; a token that fails is never kept.
 * The claims are frozen, as every request with the token shares them.
 */
export class VerifiedTokens {
  private readonly known = new Map<string, { claims: AccessClaims; kid: string }>();
  constructor(
    private readonly source: KeySource,
    private readonly max = 10_000,
  ) {}

  async verify(token: string, now = Date.now()): Promise<AccessClaims> {
    const id = createHash('sha256').update(token).digest('base64url');
    const hit = this.known.get(id);
    if (hit) {
      this.known.delete(id);
      if (hit.claims.exp * 1000 > now && (await this.source.keys()).has(hit.kid)) {
        // the most recently used last: the first in the map is the one to forget
        this.known.set(id, hit);
        return hit.claims;
      }
    }
    // frozen: every later request with this token gets this object
    const claims = deepFreeze(await verifyWith(token, this.source, now));
    if (this.known.size >= this.max) this.known.delete(this.known.keys().next().value!);
    this.known.set(id, { claims, kid: kidOf(token) });
    return claims;
  }

  get size(): number {
    return this.known.size;
  }
}

/** The key id of a token that has verified (its header parsed before). */
function kidOf(token: string): string {
  return (JSON.parse(fromB64url(token.slice(0, token.indexOf('.'))).toString('utf8')) as { kid: string }).kid;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
