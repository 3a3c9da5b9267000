import { BaseConnection, Client, type ConnectionRequestOptions, type ConnectionRequestOptionsAsStream, type ConnectionRequestParams, type ConnectionRequestResponse, type ConnectionRequestResponseAsStream } from '@elastic/elasticsearch';

/** A request as the engine sent it: a body as JSON, or NDJSON (bulk) as the list of its lines. */
export interface SentRequest {
  method: string;
  path: string;
  querystring: string;
  body: unknown;
}

function bodyOf(body: ConnectionRequestParams['body']): unknown {
  if (body === undefined || body === null || body === '') return null;
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) throw new Error('the engine sent a stream');
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
  }
}

/**
 * The real `@elastic/elasticsearch` client with a connection of the test's:
 * `answer` gets each request as sent and gives the status and JSON body
 * (or throws, as a node refusing the connection would). No retries, so one
 * request is one answer.
 */
export function clientAnswering(answer: (asked: SentRequest) => { status: number; body: unknown }): Client {
  class Answering extends BaseConnection {
    // (the stream overload is never used by the engine)
    override request(params: ConnectionRequestParams, options: ConnectionRequestOptions): Promise<ConnectionRequestResponse>;
    override request(params: ConnectionRequestParams, options: ConnectionRequestOptionsAsStream): Promise<ConnectionRequestResponseAsStream>;
    override request(params: ConnectionRequestParams): Promise<ConnectionRequestResponse | ConnectionRequestResponseAsStream> {
      try {
        const { status, body } = answer({ method: params.method, path: params.path, querystring: params.querystring ?? '', body: bodyOf(params.body) });
        return Promise.resolve({ statusCode: status, headers: { 'content-type': 'application/vnd.elasticsearch+json;compatible-with=9', 'x-elastic-product': 'Elasticsearch' }, body: JSON.stringify(body) });
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
  return new Client({ node: 'http://elasticsearch.test:9200', Connection: Answering, maxRetries: 0 });
}
