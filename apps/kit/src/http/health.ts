import type { Router } from 'express';
import type { Liveness, Readiness, ReadinessCheck } from '@emporium/contracts';

/** A dependency that must answer before the service takes traffic. */
export interface ReadinessProbe {
  name: string;
  /** Resolves when healthy; rejects or returns a reason string when not. */
  check(): Promise<void | string>;
}

const PROBE_TIMEOUT_MS = 2_000;

async function runProbe(probe: ReadinessProbe): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('timed out'), PROBE_TIMEOUT_MS);
    });
    const reason = await Promise.race([probe.check(), timeout]);
    return typeof reason === 'string' ? { name: probe.name, ok: false, detail: reason } : { name: probe.name, ok: true };
  } catch (err) {
    return { name: probe.name, ok: false, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

export async function readiness(probes: readonly ReadinessProbe[]): Promise<Readiness> {
  const checks = await Promise.all(probes.map(runProbe));
  return { status: checks.every((c) => c.ok) ? 'ready' : 'not_ready', checks };
}

export function mountHealth(router: Router, probes: () => readonly ReadinessProbe[]): void {
  router.get('/healthz', (_req, res) => {
    const body: Liveness = { status: 'ok' };
    res.json(body);
  });
  router.get('/readyz', async (_req, res) => {
    const body = await readiness(probes());
    res.status(body.status === 'ready' ? 200 : 503).json(body);
  });
}
