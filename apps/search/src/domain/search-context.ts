import type { PlatformEvents } from '@emporium/contracts';
import type { Database, EventBus, Logger, Sidecar } from '@emporium/kit';
import type { SearchRepository } from '../data/search-repository';
import type { Analyzer } from './analyzer';
import type { AnswerCache } from './answer-cache';
import type { CategoryDirectory } from './categories';
import type { SearchEngine } from './engine';
import type { Synonyms } from './synonyms';

/** What search's use-cases need; built once in app.ts. */
export interface SearchContext {
  db: Database;
  repo: SearchRepository;
  /** where searches and suggestions are answered: PostgreSQL (the record) or a mirror of it */
  engine: SearchEngine;
  /** answers of searches and suggestions kept a few seconds (see answer-cache.ts) */
  answers: AnswerCache;
  /** Peers by contract: catalog's snapshots and categories, inventory's availability (each names search among its callers). */
  sidecar: Sidecar;
  events: EventBus<PlatformEvents>;
  logger: Logger;
  analyzer: Analyzer;
  categories: CategoryDirectory;
  synonyms: Synonyms;
  /** how a rebuild runs: products per page asked of catalog, and the lease another replica waits out before taking over a rebuild that stopped */
  rebuild: { pageSize: number; leaseSeconds: number };
  /** typo correction: how similar (pg_trgm) an indexed word must be, and how many are tried */
  typos: { threshold: number; candidates: number };
}
