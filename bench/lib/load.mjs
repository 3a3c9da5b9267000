// Open-loop load at a fixed arrival rate: request i is due at start + i/rate
// whether or not earlier ones have answered, and its latency is measured from
// when it was due (no coordinated omission). Loopback only.
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function once(url, headers) {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

/**
 * Open loop: flow i starts at start + i/rate whether or not earlier ones have
 * ended; its latency counts from when it was due. `flow(i)` answers true when
 * it succeeded, 'refused' when the server turned it away at once and said
 * when to come back (503 with Retry-After: admission control), anything else
 * when it failed. At most `maxInFlight` run at once; the rest are dropped.
 */
export async function openLoop({ flow, rate, seconds, maxInFlight = 4000 }) {
  const total = Math.round(rate * seconds);
  const latencies = [];
  let failed = 0;
  let refused = 0;
  let dropped = 0;
  let inFlight = 0;
  const started = performance.now();
  const pending = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= maxInFlight) {
      dropped++;
      continue;
    }
    inFlight++;
    // from when it was due (a late start counts against the server), or from when
    // it left if the timer fired a hair early
    const from = Math.min(due, performance.now());
    pending.push(
      flow(i).then(
        (ok) => (ok === 'refused' ? refused++ : ok ? latencies.push(performance.now() - from) : failed++),
        () => failed++,
      ).finally(() => inFlight--),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { offered: rate, ok: latencies.length, failed, refused, dropped, perSecond: latencies.length / elapsed, p50: pct(latencies, 50), p90: pct(latencies, 90), p95: pct(latencies, 95), p99: pct(latencies, 99) };
}

/** Runs `rate` GET requests per second for `seconds`; answers throughput and latency percentiles in ms. */
export async function loadAt({ url, rate, seconds, headers = {}, maxInFlight = 4000 }) {
  const r = await openLoop({ flow: async () => { const status = await once(url, headers); return status >= 200 && status < 300; }, rate, seconds, maxInFlight });
  return { offered: r.offered, achieved: Math.round(r.perSecond), ok: r.ok, errors: r.failed, dropped: r.dropped, p50: r.p50, p95: r.p95, p99: r.p99 };
}

/** Closed loop: `connections` clients send back to back for `seconds`; answers the most it can do. */
export async function maxThroughput({ url, connections = 64, seconds = 5, headers = {} }) {
  const end = performance.now() + seconds * 1000;
  let ok = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const status = await once(url, headers);
        if (status >= 200 && status < 300) ok++;
        else errors++;
      }
    }),
  );
  return { perSecond: Math.round(ok / ((performance.now() - started) / 1000)), errors };
}

export function fmt(r) {
  const ms = (v) => (Number.isNaN(v) ? '   -  ' : v.toFixed(1).padStart(7));
  return `${String(r.offered).padStart(6)} ${String(r.achieved).padStart(8)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${String(r.errors + r.dropped).padStart(6)}`;
}
export const header = `${'offered'.padStart(6)} ${'achieved'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(6)}`;

/** POSTs a JSON body over the keep-alive agent; answers the status and the parsed body (status 0 when it failed or took over `timeoutMs`). */
export function postJson(url, body, headers = {}, timeoutMs = 60_000) {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = request(url, { agent, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = text;
        }
        resolve({ status: res.statusCode, body: parsed });
      });
    });
    req.on('error', () => resolve({ status: 0, body: undefined }));
    // Dapr's service invocation has no timeout of its own: a request it never answers must not hold the benchmark
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timed out')));
    req.end(payload);
  });
}

/**
 * Closed loop at fixed concurrency: `connections` clients call `flow(i)` back
 * to back for `seconds`. `flow` answers an outcome label; answers, per label,
 * the count, the latency percentiles in ms and when the first one came (ms
 * from the start), plus the elapsed seconds.
 */
export async function closedLoop({ flow, connections = 64, seconds = 8 }) {
  const started = performance.now();
  const end = started + seconds * 1000;
  const by = new Map();
  let i = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const label = await flow(i++).catch(() => 'error');
        const t1 = performance.now();
        if (!by.has(label)) by.set(label, { latencies: [], first: t1 - started, last: 0 });
        const o = by.get(label);
        o.latencies.push(t1 - t0);
        o.last = t1 - started;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const outcomes = {};
  for (const [label, o] of by) {
    o.latencies.sort((a, b) => a - b);
    outcomes[label] = { count: o.latencies.length, first: o.first, last: o.last, p50: pct(o.latencies, 50), p95: pct(o.latencies, 95), p99: pct(o.latencies, 99) };
  }
  return { elapsed, outcomes };
}
