import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { keyId, signAccessToken, VerifiedTokens, type KeySource } from './jwt';

describe('VerifiedTokens', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const kid = keyId(publicKey);
  const sub = '7b0e4c36-9d0f-4a8e-8f33-2f9cf3a4f1b2';
  const token = (ttl = 900, who = sub) => signAccessToken({ sub: who, email: null, roles: [] }, privateKey, publicKey, ttl);
  /** a key set that can be changed, as identity's JWKS can */
  const keySet = () => {
    let keys = new Map<string, KeyObject>([[kid, publicKey]]);
    const source: KeySource = { keys: () => Promise.resolve(keys) };
    return { source, withdraw: () => (keys = new Map()) };
  };

  it('when a token verified once comes again, then its claims come from the cache', async () => {
    const tokens = new VerifiedTokens(keySet().source);
    const t = token();
    const first = await tokens.verify(t);
    expect(first.sub).toBe(sub);
    // the same object: nothing was parsed or checked again
    expect(await tokens.verify(t)).toBe(first);
    expect(tokens.size).toBe(1);
  });

  it('when a kept token has expired, then it is refused as it would be without the cache', async () => {
    const tokens = new VerifiedTokens(keySet().source);
    const t = token(60);
    const claims = await tokens.verify(t);
    await expect(tokens.verify(t, claims.exp * 1000 + 1)).rejects.toThrow('token expired');
    expect(tokens.size).toBe(0);
  });

  it('when the key that signed a kept token is withdrawn, then the token is refused', async () => {
    const keys = keySet();
    const tokens = new VerifiedTokens(keys.source);
    const t = token();
    await tokens.verify(t);
    keys.withdraw();
    await expect(tokens.verify(t)).rejects.toThrow('unknown signing key');
  });

  it('when a token is forged, then it is refused and never kept', async () => {
    const tokens = new VerifiedTokens(keySet().source);
    const [h, p] = token().split('.');
    await expect(tokens.verify(`${h}.${p}.${'A'.repeat(86)}`)).rejects.toThrow('bad signature');
    await expect(tokens.verify('not-a-token')).rejects.toThrow('malformed token');
    expect(tokens.size).toBe(0);
  });

  it('when more tokens come than it keeps, then the least recently used is forgotten and verified again when it returns', async () => {
    const tokens = new VerifiedTokens(keySet().source, 2);
    const [a, b, c] = [token(900, sub), token(900, '11111111-1111-4111-8111-111111111111'), token(900, '22222222-2222-4222-8222-222222222222')];
    const first = await tokens.verify(a);
    const second = await tokens.verify(b);
    // a is used again: b is now the least recently used
    expect(await tokens.verify(a)).toBe(first);
    await tokens.verify(c);
    expect(tokens.size).toBe(2);
    expect(await tokens.verify(a)).toBe(first);
    const again = await tokens.verify(b);
    expect(again).toEqual(second);
    expect(again).not.toBe(second);
  });

  it('when the kept claims are shared by every request with the token, then nobody can change them', async () => {
    const tokens = new VerifiedTokens(keySet().source);
    const claims = await tokens.verify(token());
    expect(Object.isFrozen(claims) && Object.isFrozen(claims.roles)).toBe(true);
    expect(() => (claims.roles as unknown[]).push({ role: 'platform_admin' })).toThrow(TypeError);
  });
});
