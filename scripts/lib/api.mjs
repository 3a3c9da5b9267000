// A small client of the public API (/api/v1), for the seed script and the
// benchmarks. Tests use e2e/api-client.ts.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.mjs';

export const API = process.env.EMPORIUM_API_URL ?? 'http://127.0.0.1:3000/api/v1';

let n = 0;
export async function api(method, path, { token, body, idempotent } = {}) {
  const key = idempotent ? `${process.pid}-${Date.now()}-${n++}` : undefined;
  const send = () =>
    fetch(`${API}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  // the gateway limits each client's rate: come back when it says
  let res = await send();
  for (let i = 0; i < 10 && res.status === 429; i++) {
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
    res = await send();
  }
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Refreshes until the access token itself carries the role (roles arrive by event). */
export async function refreshUntilRole(tokens, role) {
  let current = tokens;
  for (let i = 0; i < 150; i++) {
    current = await api('POST', '/auth/refresh', { body: { refreshToken: current.refreshToken } });
    const claims = JSON.parse(Buffer.from(current.accessToken.split('.')[1], 'base64url').toString());
    if (claims.roles.some((r) => JSON.stringify(r) === JSON.stringify(role))) return current;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`role ${JSON.stringify(role)} never arrived`);
}

/** Retries a call that depends on an event still on its way (e.g. publishing right after approval). */
export async function retrying(fn, tries = 75) {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The platform admin, through identity's CLI: no API route can make one. */
export function createAdmin(email, password, databaseUrl) {
  execFileSync(process.execPath, [join(repoRoot, 'apps/identity/dist/cli/create-admin.js')], {
    env: { ...process.env, ADMIN_EMAIL: email, ADMIN_PASSWORD: password, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
