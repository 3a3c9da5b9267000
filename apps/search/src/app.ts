import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { ConfigError, jwksFromIdentity, type PeriodicTask, type ReadinessProbe, type ServiceDefinition } from '@emporium/kit';
import { searchConfig } from './config';
import { migrations } from './data/migrations';
import { SearchRepository } from './data/search-repository';
import { Analyzer } from './domain/analyzer';
import { AnswerCache } from './domain/answer-cache';
import { CategoryDirectory } from './domain/categories';
import { indexProduct, unindexProduct } from './domain/indexing';
import type { SearchContext } from './domain/search-context';
import type { SearchEngine } from './domain/engine';
import { Synonyms } from './domain/synonyms';
import { connectElasticsearch } from './engines/connect';
import { ElasticsearchEngine } from './engines/elasticsearch';
import { mirrorTask } from './engines/mirror';
import { PostgresEngine } from './engines/postgres';
import { searchRoutes } from './routes/search-routes';

/**
 * search: the product index (PostgreSQL full text over words segmented,
 * folded and spelt in pinyin here), fed by catalog's product events,
 * inventory's stock events, shop's status and order's sales.
 */
export const searchService: ServiceDefinition<typeof searchConfig, PlatformEvents> = {
  appId: AppIds.search,
  schema: 'search',
  migrations,
  config: searchConfig,
  build({ config, db, sidecar, events, logger }) {
    const repo = new SearchRepository(db);
    const analyzer = new Analyzer({ dictionaryMinFrequency: config.SEARCH_DICT_MIN_FREQUENCY });
    let engine: SearchEngine = new PostgresEngine(repo);
    const periodic: PeriodicTask[] = [];
    const readiness: ReadinessProbe[] = [];
    if (config.SEARCH_ENGINE === 'elasticsearch') {
      const url = config.SEARCH_ELASTICSEARCH_URL;
      if (!url) throw new ConfigError(['SEARCH_ENGINE=elasticsearch needs SEARCH_ELASTICSEARCH_URL']);
      const es = new ElasticsearchEngine(
        () => connectElasticsearch({ url, sidecar, secretStore: config.SEARCH_SECRET_STORE, apiKeySecret: config.SEARCH_ELASTICSEARCH_API_KEY_SECRET, apiKeySecretKey: config.SEARCH_ELASTICSEARCH_API_KEY_SECRET_KEY, timeoutMs: config.SEARCH_ELASTICSEARCH_TIMEOUT_MS }),
        { index: config.SEARCH_ELASTICSEARCH_INDEX, replicas: config.SEARCH_ELASTICSEARCH_REPLICAS },
      );
      engine = es;
      periodic.push(mirrorTask({ repo, engine: es, analyzer, logger, batch: config.SEARCH_MIRROR_BATCH, everyMs: config.SEARCH_MIRROR_INTERVAL_MS }));
      readiness.push({ name: 'elasticsearch', check: () => es.ping() });
    }
    const ctx: SearchContext = {
      db,
      repo,
      engine,
      answers: new AnswerCache(config.SEARCH_ANSWER_CACHE_MS, config.SEARCH_ANSWER_CACHE_MIB * 1024 * 1024),
      sidecar,
      events,
      logger,
      analyzer,
      categories: new CategoryDirectory(sidecar, logger, config.SEARCH_CATEGORY_REFRESH_MS, (names) => analyzer.addWords(names)),
      synonyms: new Synonyms(repo, analyzer, config.SEARCH_SYNONYM_REFRESH_MS),
      rebuild: { pageSize: config.SEARCH_REBUILD_PAGE_SIZE, leaseSeconds: config.SEARCH_REBUILD_LEASE_SECONDS },
      typos: { threshold: config.SEARCH_TYPO_THRESHOLD, candidates: config.SEARCH_TYPO_CANDIDATES },
    };
    // the catalogue's brands are words jieba keeps whole (the categories' names join when the tree is first read)
    void repo.brands().then((brands) => analyzer.addWords(brands), (err: unknown) => logger.warn({ err }, 'brands not read at start'));

    events.subscribe('product.published', async ({ data, transaction }) => {
      await indexProduct(ctx, data.product, transaction);
    });
    events.subscribe('product.updated', async ({ data, transaction }) => {
      await indexProduct(ctx, data.product, transaction);
    });
    events.subscribe('product.unpublished', async ({ data, transaction }) => {
      await unindexProduct(ctx, data.product, transaction);
    });
    events.subscribe('stock.availability-changed', async ({ data, transaction }) => {
      await repo.setSkuStock({ skuId: data.skuId, productId: data.productId, inStock: data.inStock, changedAt: new Date(data.changedAt) }, transaction);
    });
    events.subscribe('order.paid', async ({ data, transaction }) => {
      await repo.addSales(data.subOrders.flatMap((s) => (s.lines ?? []).map((l) => ({ productId: l.productId, quantity: l.quantity }))), transaction);
    });
    events.subscribe('shop.approved', async ({ data, transaction }) => {
      await repo.putShop({ shopId: data.shopId, name: data.name, suspended: false }, transaction);
    });
    events.subscribe('shop.suspended', async ({ data, transaction }) => {
      await repo.putShop({ shopId: data.shopId, suspended: true }, transaction);
    });
    events.subscribe('shop.resumed', async ({ data, transaction }) => {
      await repo.putShop({ shopId: data.shopId, suspended: false }, transaction);
    });
    return { routes: [searchRoutes(ctx, jwksFromIdentity(sidecar))], periodic, readiness };
  },
};
