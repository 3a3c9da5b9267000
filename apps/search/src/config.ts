import { z } from 'zod';

/** search's own settings beside the kit's (see @emporium/kit config): a zod shape, each key with a default and a description. */
export const searchConfig = {
  SEARCH_DICT_MIN_FREQUENCY: z.coerce.number().int().min(0).max(100_000).default(20).describe("jieba's dictionary keeps words used at least this often (0: all of it, about 19 MiB more memory)"),
  SEARCH_CATEGORY_REFRESH_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000).describe("How long catalog's category tree is kept before it is asked again (a product of an unknown category asks at once)"),
  SEARCH_SYNONYM_REFRESH_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000).describe('How long a replica keeps the synonym sets before reading them again'),
  SEARCH_REBUILD_PAGE_SIZE: z.coerce.number().int().min(1).max(200).default(100).describe('Products asked of catalog per page during a rebuild'),
  SEARCH_REBUILD_LEASE_SECONDS: z.coerce.number().int().min(5).max(3_600).default(60).describe('A rebuild silent this long is taken over by the next request to rebuild'),
  SEARCH_TYPO_THRESHOLD: z.coerce.number().min(0.05).max(1).default(0.15).describe('How similar (pg_trgm) an indexed word must be to be tried for a misspelt query word (those within one edit, two from six letters, are kept)'),
  SEARCH_TYPO_CANDIDATES: z.coerce.number().int().min(1).max(10).default(3).describe('How many indexed words may stand for one misspelt query word'),
  SEARCH_ANSWER_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000).describe('How long an answer to a search or suggestion is kept and given again to the same query (0: never; a change shows this much later)'),
  SEARCH_ANSWER_CACHE_MIB: z.coerce.number().int().min(1).max(256).default(8).describe('Memory the kept answers may take'),
  SEARCH_ENGINE: z.enum(['postgres', 'elasticsearch']).default('postgres').describe('Where searches are answered: PostgreSQL (always the record), or Elasticsearch kept as a mirror of it'),
  SEARCH_ELASTICSEARCH_URL: z.url().optional().describe('The Elasticsearch node or load balancer (with SEARCH_ENGINE=elasticsearch)'),
  SEARCH_ELASTICSEARCH_INDEX: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,100}$/).default('emporium-products').describe('The index written and searched; its template matches every index named so, and after'),
  SEARCH_ELASTICSEARCH_REPLICAS: z.coerce.number().int().min(0).max(5).default(1).describe('Replicas of the index (0 for a single node)'),
  SEARCH_ELASTICSEARCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000).describe('How long one Elasticsearch request may take'),
  SEARCH_SECRET_STORE: z.string().default('secretstore').describe('Dapr secret store with the Elasticsearch API key'),
  SEARCH_ELASTICSEARCH_API_KEY_SECRET: z.string().optional().describe('Secret (in SEARCH_SECRET_STORE) holding the Elasticsearch API key; unset: the cluster is reached without authentication'),
  SEARCH_ELASTICSEARCH_API_KEY_SECRET_KEY: z.string().optional().describe('Key of the API key inside its secret (Kubernetes; defaults to the secret name)'),
  SEARCH_MIRROR_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000).describe('How often changed documents are sent to Elasticsearch'),
  SEARCH_MIRROR_BATCH: z.coerce.number().int().min(1).max(5_000).default(500).describe('Documents per bulk request to Elasticsearch'),
} as const satisfies z.ZodRawShape;
