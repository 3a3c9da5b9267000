import type { Logger, PeriodicTask } from '@emporium/kit';
import type { SearchRepository } from '../data/search-repository';
import type { Analyzer } from '../domain/analyzer';
import { esDocumentOf, type ElasticsearchEngine } from './elasticsearch';

/**
 * Keeps Elasticsearch a copy of the record: every so often, the documents
 * changed since they were last sent go in bulk requests (oldest change
 * first) until none is left. Each carries its change number as external
 * version, so replicas mirroring at once, a retry or a late batch never
 * put an older state over a newer one. An item the engine refused stays
 * pending and is sent again next time; the template is put before the
 * first batch (and again after a failure).
 */
export function mirrorTask(opts: { repo: SearchRepository; engine: ElasticsearchEngine; analyzer: Analyzer; logger: Logger; batch: number; everyMs: number }): PeriodicTask & { drain(): Promise<number> } {
  let templated = false;
  const drain = async (): Promise<number> => {
    if (!templated) {
      await opts.engine.putTemplate();
      templated = true;
    }
    let sent = 0;
    for (;;) {
      const rows = await opts.repo.pendingMirror(opts.batch);
      if (rows.length === 0) return sent;
      let result;
      try {
        result = await opts.engine.index(rows.map((r) => ({ doc: esDocumentOf(opts.analyzer, r), version: r.changed })));
      } catch (err) {
        templated = false;
        throw err;
      }
      await opts.repo.markMirrored(result.done);
      sent += result.done.length;
      if (result.failed.length > 0) {
        opts.logger.warn({ failed: result.failed.slice(0, 5), count: result.failed.length }, 'elasticsearch refused some documents; they are sent again next time');
        return sent;
      }
      if (rows.length < opts.batch) return sent;
    }
  };
  return { name: 'search-mirror', everyMs: opts.everyMs, firstAfterMs: 1_000, run: drain, drain };
}
