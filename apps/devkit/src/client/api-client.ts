import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BilingualText, Order, Product, Session, Shop, TokenPair } from '@emporium/contracts';
import { repoRoot } from '../platform/repo';

/**
 * The one client of the public API (/api/v1) that the end-to-end suite, the
 * benchmarks and the seed use, as the storefront and the seller portal do.
 * `call` answers whatever came back; `api` wants a success and returns its body.
 */
export const API = process.env.EMPORIUM_API_URL ?? 'http://127.0.0.1:3000/api/v1';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

let keys = 0;
export function idempotencyKey(): string {
  return `client-${process.pid}-${Date.now().toString(36)}-${keys++}`;
}

/** Server errors (5xx) the suite did not expect; e2e/server-errors.ts fails the test that met one. */
const unexpectedServerErrors: string[] = [];
export function takeUnexpectedServerErrors(): string[] {
  return unexpectedServerErrors.splice(0);
}

export interface CallOptions {
  /** A session's pair, or just its access token. */
  token?: TokenPair | string;
  body?: unknown;
  idempotent?: boolean;
  query?: Record<string, string | number>;
  cartToken?: string;
  /** The test provokes a server error (a service it killed): a 5xx answer is then not a failure. */
  serverErrorExpected?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads the body its assertions check
export async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<ApiAnswer<T>> {
  const url = new URL(`${API}${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, String(v));
  const key = opts.idempotent ? idempotencyKey() : undefined;
  const send = () =>
    fetch(url, {
      method,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Bearer ${typeof opts.token === 'string' ? opts.token : opts.token.accessToken}` } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
        ...(opts.cartToken ? { 'x-cart-token': opts.cartToken } : {}),
      },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
  // the gateway's rate limit (all of e2e shares one address), a service's admission control (503
  // `overloaded`: nothing was started) and work still under way (503 `in_progress`: the same request
  // finds it) say when to come back, with the same Idempotency-Key; any other server error is never
  // sent again here: it is the answer, and unless the test expects it, a failure
  const comeBack = async (r: Response) =>
    r.status === 429 || (r.status === 503 && r.headers.has('retry-after') && ['overloaded', 'in_progress'].includes(((await r.clone().json().catch(() => null)) as { code?: string } | null)?.code ?? ''));
  // for up to a minute: on a loaded CI machine checkout's admission control stayed at its floor (4 at once) for
  // more than the 20 s that ten tries of Retry-After 2 lasted, and a test of eight checkouts at once met a 503
  const until = Date.now() + 60_000;
  let res = await send();
  while (Date.now() < until && (await comeBack(res))) {
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
    res = await send();
  }
  const text = await res.text();
  // bounded: a benchmark or the seed never takes them
  if (res.status >= 500 && !opts.serverErrorExpected && unexpectedServerErrors.length < 100) unexpectedServerErrors.push(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  let body: T;
  try {
    body = (text ? JSON.parse(text) : undefined) as T;
  } catch {
    throw new Error(`${method} ${path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 300)}`);
  }
  return { status: res.status, body, headers: res.headers };
}

/** What a shopper's browser does on the provider's hosted page: submit the card form (the redirect is left to the caller). */
export function submitCard(hostedUrl: string, cardNumber = '4242424242424242'): Promise<Response> {
  return fetch(hostedUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ cardNumber }), redirect: 'manual' });
}

/**
 * The payment page of a checkout the API accepted (202): in its answer when payment made it in time, else on
 * the order as soon as it has one (the API's contract: a 202 carries the page only when it was ready; a loaded
 * CI machine answered without it, and a test that read it from the 202 alone failed).
 */
export async function paymentPage(started: Order, token: TokenPair | string, ms = 30_000): Promise<string> {
  if (started.payment?.hostedUrl) return started.payment.hostedUrl;
  const read = async () => (await call<Order>('GET', `/orders/${started.id}`, { token })).body;
  return (await eventually('the payment page', read, (o) => o.payment?.hostedUrl != null, ms)).payment!.hostedUrl!;
}

/** A success's body; anything else throws with the status and the problem. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as call
export async function api<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
  const res = await call<T>(method, path, opts);
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Retries a call that depends on an event still on its way (e.g. publishing right after approval). */
export async function retrying<T>(fn: () => Promise<T>, tries = 75): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Where the running platform's infrastructure is (the runner writes it: a suite or a benchmark has a database of its own, on any profile). */
export function platformEndpoints(root: string = repoRoot()): { profile: string; namespace: string | null; endpoints: { postgres: string } } {
  const stateDir = process.env.EMPORIUM_STATE_DIR ?? join(root, '.emporium');
  return JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf8')) as ReturnType<typeof platformEndpoints>;
}

/** The platform admin is made by identity's CLI, never by the API; in the running platform's database unless told another. */
export function createPlatformAdmin(email: string, password: string, databaseUrl?: string): void {
  const root = repoRoot();
  execFileSync(process.execPath, [join(root, 'apps/identity/dist/cli/create-admin.js')], {
    env: { ...process.env, ADMIN_EMAIL: email, ADMIN_PASSWORD: password, DATABASE_URL: databaseUrl ?? platformEndpoints(root).endpoints.postgres, LOG_LEVEL: 'warn' },
    stdio: 'pipe',
  });
}

/** Refreshes until a role shows in the access token itself (roles arrive by event). */
export async function refreshUntilRole(tokens: TokenPair, role: Record<string, string>): Promise<TokenPair> {
  let current = tokens;
  for (let i = 0; i < 150; i++) {
    const res = await call<TokenPair>('POST', '/auth/refresh', { body: { refreshToken: current.refreshToken } });
    if (res.status !== 200) throw new Error(`refresh failed: ${res.status} ${JSON.stringify(res.body)}`);
    current = res.body;
    const claims = JSON.parse(Buffer.from(current.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { roles: unknown[] };
    if (claims.roles.some((r) => JSON.stringify(r) === JSON.stringify(role))) return current;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`role ${JSON.stringify(role)} never arrived`);
}

export async function eventually<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * People of one e2e run, made through the API as users would: accounts,
 * the platform admin (identity's CLI), and merchants with an approved shop.
 */
export function e2ePeople(run: string, domain = 'e2e.example.com') {
  const email = (who: string) => `${who}-${run}@${domain}`;
  const password = 'correct horse battery staple';
  const text = (s: string) => ({ 'zh-CN': `${s}（中文）`, en: s });

  async function register(who: string): Promise<Session> {
    const res = await call<Session>('POST', '/auth/register', { idempotent: true, body: { email: email(who), password, displayName: who, locale: 'en' } });
    if (res.status !== 201) throw new Error(`register ${who}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  async function login(who: string): Promise<TokenPair> {
    const res = await call<TokenPair>('POST', '/auth/login', { body: { login: email(who), password } });
    if (res.status !== 200) throw new Error(`login ${who}: ${res.status}`);
    return res.body;
  }
  async function admin(): Promise<TokenPair> {
    createPlatformAdmin(email('admin'), password);
    return login('admin');
  }
  async function openShop(who: string, adminTokens: TokenPair, commissionBps = 600): Promise<{ tokens: TokenPair; shop: Shop }> {
    const merchant = await register(who);
    const applied = await call<Shop>('POST', '/shops', {
      token: merchant.tokens,
      idempotent: true,
      body: {
        name: text(`${who}'s tea house`),
        description: text('Cups, pots and leaves'),
        contactEmail: email(who),
        contactPhone: '+8613800138000',
        settlementAccount: { accountName: who, bankName: 'Bank of Shanghai', accountNumber: '6222021234567890' },
      },
    });
    if (applied.status !== 201) throw new Error(`apply ${who}: ${applied.status}`);
    const decided = await call<Shop>('POST', `/admin/shops/${applied.body.id}/decision`, { token: adminTokens, idempotent: true, body: { decision: 'approve', commissionBps } });
    return { tokens: await refreshUntilRole(merchant.tokens, { role: 'merchant_owner', shopId: applied.body.id }), shop: decided.body };
  }
  /** An approved shop selling one product with one SKU (colour red) at `price` minor units, `units` in stock; named `<who> teapot` unless named. */
  async function shopSelling(
    who: string,
    adminTokens: TokenPair,
    price: number,
    units: number,
    product: { name?: BilingualText; description?: BilingualText; brand?: string } = {},
  ): Promise<{ tokens: TokenPair; shopId: string; productId: string; skuId: string }> {
    const category = await call<{ id: string }>('POST', '/admin/categories', { token: adminTokens, idempotent: true, body: { slug: `${who}-${run}`, name: text(who) } });
    await call('PUT', `/admin/categories/${category.body.id}/spec-template`, {
      token: adminTokens,
      body: { specs: [{ key: 'colour', name: text('Colour'), values: [{ key: 'red', name: text('red') }] }] },
    });
    const { tokens, shop } = await openShop(who, adminTokens);
    const created = await call<Product>('POST', `/shops/${shop.id}/products`, {
      token: tokens,
      idempotent: true,
      body: {
        categoryId: category.body.id,
        name: product.name ?? text(`${who} teapot`),
        description: product.description ?? text('made by hand'),
        brand: product.brand ?? who,
        specs: [{ key: 'colour', values: ['red'] }],
        skus: [{ specValues: { colour: 'red' }, price: { amount: price, currency: 'CNY' }, barcode: `69${who.slice(0, 4)}${run}`.slice(0, 32), weightGrams: 800 }],
      },
    });
    if (created.status !== 201) throw new Error(`product of ${who}: ${created.status} ${JSON.stringify(created.body)}`);
    const published = await eventually('publish', () => call<Product>('POST', `/shops/${shop.id}/products/${created.body.id}/publish`, { token: tokens }), (r) => r.status === 200);
    const skuId = published.body.skus[0]!.id;
    const received = await call('POST', `/shops/${shop.id}/stock/${skuId}/receipts`, { token: tokens, idempotent: true, body: { quantity: units } });
    if (received.status !== 200) throw new Error(`stock of ${who}: ${received.status}`);
    return { tokens, shopId: shop.id, productId: created.body.id, skuId };
  }
  return { email, password, text, register, login, admin, openShop, shopSelling };
}
