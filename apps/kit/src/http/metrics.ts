import { Router } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How often the event loop's delay (nodejs_eventloop_lag_*) is sampled. */
const EVENT_LOOP_SAMPLE_MS = 100;

/** Sets a gauge's current value(s) when it is scraped. */
export type GaugeCollector<L extends string> = (set: (labels: Partial<Record<L, string>>, value: number) => void) => void;

/**
 * Prometheus metrics of one service at `GET /metrics`: process defaults,
 * request durations, and whatever counters the service adds.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  private readonly counters = new Map<string, Counter>();
  private readonly gaugeCollectors = new Map<string, GaugeCollector<string>[]>();

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    // the event loop's delay sampled every 100 ms, not prom-client's default 10: its timer woke an idle
    // service 100 times a second, ~5 ms of CPU a second each (most of what a service spent at rest)
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    this.requestSeconds = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'HTTP requests served, by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  /** A counter; asked again by name, the same one. */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    let counter = this.counters.get(name);
    if (!counter) {
      counter = new Counter({ name, help, labelNames, registers: [this.registry] });
      this.counters.set(name, counter);
    }
    return counter;
  }

  histogram<L extends string>(name: string, help: string, buckets: number[], labelNames: readonly L[] = []): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /**
   * A gauge read when scraped: `collect(set)` sets its current value(s).
   * Asked again by name (a second operation with the same kind of figure),
   * the one gauge reads both.
   */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect: GaugeCollector<L>): void {
    const known = this.gaugeCollectors.get(name);
    if (known) {
      known.push(collect);
      return;
    }
    const all: GaugeCollector<string>[] = [collect];
    this.gaugeCollectors.set(name, all);
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        for (const c of all) c((labels, value) => this.set(labels, value));
      },
    });
  }

  router(): Router {
    const router = Router();
    router.get('/metrics', async (_req, res) => {
      res.type(this.registry.contentType).send(await this.registry.metrics());
    });
    return router;
  }
}
