import type * as Elastic from '@elastic/elasticsearch';
import type { Client } from '@elastic/elasticsearch';
import { UnavailableError, type Sidecar } from '@emporium/kit';

/**
 * An Elasticsearch client for `url`, with the API key of the secret store
 * when one is named (a cluster without security needs none). The module is
 * loaded here, so a platform searching in PostgreSQL never pays for it.
 */
export async function connectElasticsearch(opts: { url: string; sidecar: Sidecar; secretStore: string; apiKeySecret?: string | undefined; apiKeySecretKey?: string | undefined; timeoutMs: number }): Promise<Client> {
  const apiKey = opts.apiKeySecret ? await opts.sidecar.getSecret(opts.secretStore, opts.apiKeySecret, opts.apiKeySecretKey) : undefined;
  if (opts.apiKeySecret && !apiKey) throw new UnavailableError(`the secret ${opts.apiKeySecret} holds no Elasticsearch API key`);
  // required here, on first use (a dynamic import() would load the module's ESM build, whose Client is another type)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client: ElasticClient } = require('@elastic/elasticsearch') as typeof Elastic;
  return new ElasticClient({ node: opts.url, requestTimeout: opts.timeoutMs, maxRetries: 1, ...(apiKey ? { auth: { apiKey } } : {}) });
}
