import request from 'supertest';
import type { Membership, Session, TokenPair } from '@emporium/contracts';
import type { TestApp } from '@emporium/devkit/testing';
import { UserRepository } from '../src/data/user-repository';
import { ensurePlatformAdmin } from '../src/domain/accounts';

/**
 * What other services' component tests need from a running identity:
 * accounts, the platform admin, and tokens that carry a role once the event
 * granting it has arrived.
 */
export function identityClient(identity: TestApp, opts: { run: string; password: string }) {
  const http = () => request(identity.url);
  const email = (who: string) => `${who}-${opts.run}@example.com`;
  let keys = 0;

  async function register(who: string): Promise<Session> {
    const res = await http().post('/auth/register').set('Idempotency-Key', `reg-${who}-${opts.run}-${keys++}`).send({ email: email(who), password: opts.password, displayName: who });
    if (res.status !== 201) throw new Error(`register ${who}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Session;
  }

  async function login(who: string): Promise<TokenPair> {
    const res = await http().post('/auth/login').send({ login: email(who), password: opts.password });
    if (res.status !== 200) throw new Error(`login ${who}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as TokenPair;
  }

  /** The platform admin, made the way the seed makes it (no route can), then logged in. */
  async function platformAdmin(who = 'admin'): Promise<TokenPair> {
    const db = identity.service.deps.db;
    await ensurePlatformAdmin({ db, users: new UserRepository(db), settings: { scryptCost: 1024 } }, { email: email(who), password: opts.password, displayName: who });
    return login(who);
  }

  /**
   * Refreshes until the access token itself carries the role: roles arrive by
   * event, and a token issued a moment before lacks one that /me already shows.
   */
  async function refreshUntilRole(tokens: TokenPair, role: Membership): Promise<TokenPair> {
    let current = tokens;
    for (let i = 0; i < 60; i++) {
      current = (await http().post('/auth/refresh').send({ refreshToken: current.refreshToken }).expect(200)).body as TokenPair;
      const claims = JSON.parse(Buffer.from(current.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { roles: unknown[] };
      if (claims.roles.some((r) => JSON.stringify(r) === JSON.stringify(role))) return current;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`role ${JSON.stringify(role)} never arrived`);
  }

  return { http, email, register, login, platformAdmin, refreshUntilRole };
}

export const bearer = (t: TokenPair) => `Bearer ${t.accessToken}`;
