// Starts the whole platform as `npm run dev` does, for benchmarks, and seeds
// what they need through the public API.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

export async function startPlatform(env = {}) {
  let output = '';
  // all load comes from one address: the gateway's per-client limit is set so high that it never refuses,
  // but it still counts every request (in Redis when one answers), as in production
  const child = spawn(process.execPath, [join(root, 'scripts', 'dev.mjs')], {
    cwd: root,
    // a database, topics and scheduler data of the benchmark's own (namespace bench), fresh each start
    env: { ...process.env, EMPORIUM_SEED: 'off', GATEWAY_RATE_LIMIT_PER_SECOND: '1000000', GATEWAY_RATE_LIMIT_BURST: '1000000', EMPORIUM_NAMESPACE: 'bench', EMPORIUM_FRESH: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // a tail only: apps log every request, and a growing string would cost the load generator's CPU
  let up = false;
  const keep = (c) => {
    output = (output + c).slice(-65_536);
    if (!up && /Emporium is up/.test(output)) up = output;
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const deadline = Date.now() + 300_000;
  while (!up) {
    if (child.exitCode !== null || Date.now() > deadline) {
      // a runner that did not come up in time stops what it started, so the next benchmark finds the ports free
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      }
      throw new Error(`platform did not start:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const endpoints = runningEndpoints();
  return {
    endpoints,
    /** the output up to the line saying the platform is up, then its tail */
    output: () => (typeof up === 'string' ? up : output),
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
      // a PostgreSQL of the platform's own (EMPORIUM_OWN_INFRA) stopped with it: its next fresh start drops the database
      if (endpoints.namespace && env.EMPORIUM_OWN_INFRA !== '1') await dropDatabase(endpoints.endpoints.postgres);
    },
  };
}

/** Where the running platform's infrastructure is (written by the runner). */
export function runningEndpoints() {
  return JSON.parse(readFileSync(join(root, '.emporium', 'endpoints.json'), 'utf8'));
}

/** devkit's dropDatabase (built by the platform's start); a database left behind is dropped by the next fresh start. */
async function dropDatabase(url) {
  try {
    await (await import('@emporium/devkit/platform')).dropDatabase(url);
  } catch (err) {
    console.warn(`the benchmark's database was not dropped: ${err.message}`);
  }
}

/**
 * PSS and anonymous memory of a process in MiB (`/proc/<pid>/smaps_rollup`): what is not anonymous
 * in its RSS is file pages (its binary, libraries), which the page cache holds for every process
 * mapping them and the kernel may drop when short of memory.
 */
function rollupOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    const pss = kib('Pss');
    return Number.isNaN(pss) ? undefined : { pss: pss / 1024, anon: kib('Anonymous') / 1024 };
  } catch {
    return undefined; // gone, or not ours to read
  }
}

function cwdOf(pid) {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return '';
  }
}

/**
 * Memory of every process of the running platform, found as the runner's
 * descendants (so nothing else on the machine is counted and nothing of the
 * platform is missed), each named: `<app> (node)`, `<app> sidecar (daprd)`,
 * placement, scheduler, sentry, `runner`; embedded infrastructure the runner
 * started is `infrastructure`. The infrastructure that was already running
 * (PostgreSQL, RabbitMQ, Redis, NATS, Mosquitto, MariaDB) is reported apart,
 * never hidden. `mib` is PSS (`/proc/<pid>/smaps_rollup`): what this machine
 * spends, PostgreSQL's shared buffers and a binary's pages shared by nine
 * daprd counted once; `rss` is what the process would need alone (a pod on a
 * node of its own), the figure a per-service budget is judged by; `anon` the
 * part of it that is the process's own memory (the rest is file pages).
 *   total / totalRss / rows: the platform (apps, sidecars, control plane, web), without the runner (dev tooling)
 */
export function platformMemoryMiB() {
  const { rows, runner, infrastructure } = platformProcesses();
  const withMib = (r) => {
    const rollup = rollupOf(r.pid);
    return { ...r, mib: rollup?.pss ?? r.rss / 1024, anon: rollup?.anon ?? r.rss / 1024, rss: r.rss / 1024 };
  };
  const platform = rows.filter((r) => r.kind !== 'runner' && r.kind !== 'infrastructure' && r.kind !== 'bench').map(withMib);
  const infra = infrastructure.map(withMib);
  const sum = (xs) => xs.reduce((s, r) => s + r.mib, 0);
  return {
    total: sum(platform),
    totalRss: platform.reduce((t, r) => t + r.rss, 0),
    rows: platform,
    runner: runner ? withMib(runner).mib : 0,
    infrastructure: { total: sum(infra), rows: infra },
  };
}

/**
 * The running platform's processes, named (see platformMemoryMiB): `rows` are
 * the runner's descendants (`kind` app, web, sidecar, control plane, runner,
 * or infrastructure the runner started) and the benchmark's own apps and
 * sidecars (`kind` bench, never in the platform's totals); `infrastructure`
 * adds what was already running on the machine. `rss` in KiB, as ps says.
 */
export function platformProcesses() {
  const ps = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [pid, ppid, rss, ...args] = l.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), rss: Number(rss), args: args.join(' ') };
    });
  const runner = ps.find((p) => /scripts\/dev\.mjs/.test(p.args));
  const descendants = (root) => {
    const set = new Set(root ? [root] : []);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of ps) {
        if (!set.has(p.pid) && set.has(p.ppid)) {
          set.add(p.pid);
          grew = true;
        }
      }
    }
    return set;
  };
  const mine = descendants(runner?.pid);
  // a benchmark's own apps and their sidecars (baselines, floors): its children outside the runner
  const benchOwn = [...descendants(process.pid)].filter((pid) => pid !== process.pid && !mine.has(pid) && pid !== runner?.pid);
  for (const pid of benchOwn) mine.add(pid);
  const label = (p) => {
    const appId = /--app-id (\S+)/.exec(p.args)?.[1];
    if (benchOwn.includes(p.pid)) return { what: appId ? `${appId} sidecar (daprd)` : `${/([\w-]+)\.mjs/.exec(p.args)?.[1] ?? p.args.slice(0, 40)} (benchmark's app)`, kind: 'bench' };
    if (/\/daprd /.test(p.args) || p.args.endsWith('/daprd')) return { what: `${appId ?? '?'} sidecar (daprd)`, kind: 'sidecar', app: appId };
    for (const cp of ['placement', 'scheduler', 'sentry']) if (new RegExp(`bin/${cp}( |$)`).test(p.args)) return { what: cp, kind: 'control plane' };
    if (p.pid === runner?.pid) return { what: 'runner (npm run dev; dev tooling, not in production)', kind: 'runner' };
    const cwd = cwdOf(p.pid);
    const app = /\/apps\/([^/]+)$/.exec(cwd)?.[1] ?? (/\/web$/.test(cwd) ? 'web' : undefined);
    if (/node/.test(p.args) && app) return { what: `${app} (node)`, kind: app === 'web' ? 'web' : 'app', app };
    return { what: p.args.slice(0, 60), kind: 'infrastructure' };
  };
  const rows = ps.filter((p) => mine.has(p.pid)).map((p) => ({ pid: p.pid, rss: p.rss, ...label(p) }));
  const infraPattern = /postgres|beam\.smp|epmd|erl_child_setup|inet_gethost|redis-server|nats-server|mosquitto|mariadbd/;
  const infrastructure = ps
    .filter((p) => !mine.has(p.pid) && infraPattern.test(p.args))
    .map((p) => ({ pid: p.pid, rss: p.rss, what: p.args.slice(0, 60), kind: 'infrastructure' }))
    .concat(rows.filter((r) => r.kind === 'infrastructure'));
  return { rows, runner: rows.find((r) => r.kind === 'runner'), infrastructure };
}

/** CPU seconds a process has used (user + system), from /proc/<pid>/stat; 0 when it is gone. */
function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command (which may hold spaces) in parentheses; utime and stime are the 14th and 15th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Infrastructure processes grouped by what they are (PostgreSQL runs one backend per connection). */
const groupOf = (what) =>
  /postgres/.test(what) ? 'PostgreSQL' : /beam\.smp|epmd|erl_child|inet_gethost/.test(what) ? 'RabbitMQ' : /redis-server/.test(what) ? 'Redis' : /nats-server/.test(what) ? 'NATS' : /mosquitto/.test(what) ? 'Mosquitto' : /mariadbd/.test(what) ? 'MariaDB' : what;

/**
 * CPU used so far by every process of the platform and of the infrastructure,
 * by name (`<app> (node)`, `<app> sidecar (daprd)`, placement, …, PostgreSQL,
 * RabbitMQ, …). Two readings and `cpuSpent` say where a scenario's CPU went.
 */
export function platformCpu() {
  const { rows, infrastructure } = platformProcesses();
  // per process: a process that ends between two readings (a database connection closed when its pool
  // idles) must not take the CPU of the others with it, as a sum per name would
  const byName = new Map();
  const kinds = new Map();
  for (const r of [...rows.filter((x) => x.kind !== 'infrastructure'), ...infrastructure, { pid: process.pid, what: 'benchmark (load generator)', kind: 'bench' }]) {
    const name = r.kind === 'infrastructure' ? groupOf(r.what) : r.what;
    if (!byName.has(name)) byName.set(name, new Map());
    byName.get(name).set(r.pid, cpuSecondsOf(r.pid));
    kinds.set(name, { kind: r.kind, ...(r.app ? { app: r.app } : {}) });
  }
  return { at: performance.now(), byName, kinds };
}

/**
 * CPU seconds per name between two readings of platformCpu, most first, with the wall time between
 * them; each row with its `kind` (platformProcesses') and, for an app's node or sidecar, its `app`.
 */
export function cpuSpent(before, after) {
  // what each process still running used since the first reading (all of it, for one started since)
  const rows = [...after.byName]
    .map(([name, pids]) => ({ name, ...after.kinds.get(name), seconds: [...pids].reduce((t, [pid, s]) => t + Math.max(0, s - (before.byName.get(name)?.get(pid) ?? 0)), 0) }))
    .filter((r) => r.seconds > 0);
  rows.sort((a, b) => b.seconds - a.seconds);
  return { wallSeconds: (after.at - before.at) / 1000, total: rows.reduce((t, r) => t + r.seconds, 0), rows };
}

/**
 * A run's CPU (cpuSpent's answer) spread over the `count` things it did, in units of `scale`
 * a second (1,000 for ms, 1,000,000 for µs): `per` converts CPU seconds, `cores` is the share of
 * one core in per cent, `top` the `top` busiest processes as `name n, …`.
 */
export function cpuPer(cpu, count, { scale, top = 8 }) {
  const per = (seconds) => Math.round((seconds * scale) / Math.max(1, count));
  return { per, cores: Math.round((cpu.total / cpu.wallSeconds) * 100), top: cpu.rows.slice(0, top).map((x) => `${x.name} ${per(x.seconds)}`).join(', ') };
}

/** The platform counts as quiet under this share of a core: at rest it uses about 0.1 (bench/memory, session 30). */
export const QUIET_CORES = 0.15;

/**
 * Waits until the platform is quiet: its processes and the infrastructure together under
 * `maxCores` of CPU over a 2 s window (after seeding, search indexes, analytics counts, sidecars
 * drop their startup pages, e-mails of a warm-up sent), at most `limitSeconds`. Answers the last
 * window's share of a core. Was 0.25 while the platform at rest used ~0.16: a window of a
 * platform still busy passed for rest.
 */
export async function settle({ maxCores = QUIET_CORES, limitSeconds = 60 } = {}) {
  const until = performance.now() + limitSeconds * 1000;
  let used = Infinity;
  while (performance.now() < until) {
    const before = platformCpu();
    await new Promise((r) => setTimeout(r, 2000));
    const spent = cpuSpent(before, platformCpu());
    used = (spent.total - (spent.rows.find((r) => r.name === 'benchmark (load generator)')?.seconds ?? 0)) / spent.wallSeconds;
    if (used < maxCores) break;
  }
  return used;
}

/** The devkit's API client (apps/devkit/src/client), built by the platform's start: loaded once it is up. */
const client = () => import('@emporium/devkit/client');
export const api = async (...args) => (await client()).api(...args);
export const refreshUntilRole = async (...args) => (await client()).refreshUntilRole(...args);
const retrying = async (...args) => (await client()).retrying(...args);

/** An admin, an approved shop, a category with a template, and `count` published 2x3 products. */
export async function seedCatalog(count) {
  const run = Date.now().toString(36);
  const email = (w) => `${w}-${run}@bench.example.com`;
  const password = 'bench password 123';
  const t = (s) => ({ 'zh-CN': `${s}（中）`, en: s });
  (await client()).createPlatformAdmin(email('admin'), password, runningEndpoints().endpoints.postgres);
  const admin = (await api('POST', '/auth/login', { body: { login: email('admin'), password } })).accessToken;
  const merchant = await api('POST', '/auth/register', { idempotent: true, body: { email: email('m'), password, displayName: 'm' } });
  const shop = await api('POST', '/shops', {
    token: merchant.tokens.accessToken,
    idempotent: true,
    body: { name: t('Bench shop'), description: t('bench'), contactEmail: email('m'), contactPhone: '+8613800138000', settlementAccount: { accountName: 'Bench', bankName: 'Bench bank', accountNumber: '12345678' } },
  });
  await api('POST', `/admin/shops/${shop.id}/decision`, { token: admin, idempotent: true, body: { decision: 'approve' } });
  const tokens = await refreshUntilRole(merchant.tokens, { role: 'merchant_owner', shopId: shop.id });
  const category = await api('POST', '/admin/categories', { token: admin, idempotent: true, body: { slug: `bench-${run}`, name: t('Bench') } });
  await api('PUT', `/admin/categories/${category.id}/spec-template`, {
    token: admin,
    body: { specs: [{ key: 'colour', name: t('Colour'), values: ['red', 'blue'].map((k) => ({ key: k, name: t(k) })) }, { key: 'size', name: t('Size'), values: ['s', 'm', 'l'].map((k) => ({ key: k, name: t(k) })) }] },
  });
  // the shop's approval reaches catalog by event before a product can be published
  await new Promise((r) => setTimeout(r, 1000));
  const ids = [];
  for (let i = 0; i < count; i++) {
    const product = await api('POST', `/shops/${shop.id}/products`, {
      token: tokens.accessToken,
      idempotent: true,
      body: {
        categoryId: category.id,
        name: t(`Bench product ${i}`),
        description: t('A product to measure'),
        brand: 'Bench',
        specs: [{ key: 'colour', values: ['red', 'blue'] }, { key: 'size', values: ['s', 'm', 'l'] }],
        skus: ['red', 'blue'].flatMap((c) => ['s', 'm', 'l'].map((s, k) => ({ specValues: { colour: c, size: s }, price: { amount: 1000 + i * 10 + k, currency: 'CNY' }, barcode: `B${run}${i}${c}${s}`.slice(0, 32), weightGrams: 100 }))),
      },
    });
    await retrying(() => api('POST', `/shops/${shop.id}/products/${product.id}/publish`, { token: tokens.accessToken }));
    ids.push(product.id);
  }
  return { productIds: ids, categoryId: category.id, shopId: shop.id, merchantToken: tokens.accessToken, adminToken: admin, email, password };
}

/**
 * A benchmark's own app (a baseline or a floor, never part of the platform)
 * behind a sidecar of its own that joins the running platform as an app of
 * it would: the profile's components, placement and scheduler, Sentry's mTLS
 * with tokens of its own, found by web's sidecar through the platform's name
 * resolution. The app gets its sidecar's ports as DAPR_HTTP_PORT and
 * DAPR_GRPC_PORT and its token as DAPR_API_TOKEN, and must print one line
 * when it listens on the port it is given as its first argument.
 *   const app = await startBenchApp(platform, { appId, script, args, configSpec })
 *   configSpec: fields laid over components/config.yaml's spec for this sidecar (tracing, metrics)
 *   app.viaWeb: the headers a call through web's sidecar carries; app.port; app.sidecarHttp and
 *   app.viaOwn (its own sidecar's port and the headers a call to it carries); await app.stop()
 */
export async function startBenchApp(platform, { appId, script, args = [], configSpec }) {
  // built by the platform's start when missing
  const { allocateSidecarPorts, componentEnv, freePort, newToken, startSidecar, writeAppConfig } = await import('@emporium/devkit/platform');
  const endpoints = platform.endpoints.endpoints;
  const profile = /Emporium is up \((\w+) profile\)/.exec(platform.output())?.[1] ?? 'services';
  const port = await freePort();
  const ports = await allocateSidecarPorts();
  const apiToken = newToken();
  const app = spawn(process.execPath, [script, String(port), ...args], {
    cwd: root,
    env: { ...process.env, DAPR_HTTP_PORT: String(ports.http), DAPR_GRPC_PORT: String(ports.grpc), DAPR_API_TOKEN: apiToken },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    app.stdout.once('data', resolve);
    app.once('exit', (code) => reject(new Error(`${appId} exited with code ${code}`)));
  });
  const sidecar = startSidecar({
    appId,
    appPort: port,
    profile,
    ports,
    placementAddress: '127.0.0.1:3690',
    schedulerAddress: '127.0.0.1:3691',
    env: componentEnv(endpoints),
    configFile: writeAppConfig({ root, stateDir: join(root, '.emporium'), appId, nameResolutionFile: join(root, '.emporium', 'dapr-names.db'), accessControl: false, ...(configSpec ? { spec: configSpec } : {}) }),
    security: {
      sentryAddress: `127.0.0.1:${process.env.EMPORIUM_SENTRY_PORT ?? 3692}`,
      trustAnchors: readFileSync(join(root, '.emporium', 'dapr-credentials', 'ca.crt'), 'utf8'),
      apiToken,
      appApiToken: newToken(),
    },
    root,
  });
  await sidecar.ready();
  const daprTokens = JSON.parse(readFileSync(join(root, '.emporium', 'dapr-tokens.json'), 'utf8'));
  return {
    port,
    viaWeb: { 'dapr-api-token': daprTokens.web.dapr },
    sidecarHttp: ports.http,
    viaOwn: { 'dapr-api-token': apiToken },
    async stop() {
      await sidecar.stop(5_000).catch(() => undefined);
      app.kill();
    },
  };
}
