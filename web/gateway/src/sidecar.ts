import type { Pool } from 'undici';
import { pathOf, successSchemaOf, type AnswerOf, type ApiOperation } from '@emporium/contracts';
import type { GatewayConfig } from './config';

/** The sidecar answered outside 200, or outside the operation's contract (502). */
export class Refused extends Error {
  constructor(readonly status: number) {
    super(`answered ${status}`);
  }
}

/** The headers every call of web's sidecar carries: its API token, and what the caller adds. */
export function sidecarHeaders(config: Pick<GatewayConfig, 'DAPR_API_TOKEN'>, extra: Record<string, string> = {}): Record<string, string> {
  return config.DAPR_API_TOKEN ? { ...extra, 'dapr-api-token': config.DAPR_API_TOKEN } : extra;
}

/** A GET operation without path parameters through web's sidecar, the answer checked against its contract (the gateway's own calls). */
export async function getThroughSidecar<O extends ApiOperation>(
  sidecar: Pool,
  config: Pick<GatewayConfig, 'DAPR_API_TOKEN' | 'GATEWAY_TIMEOUT_MS'>,
  op: O,
  headers: Record<string, string> = {},
  query = '',
  signal?: AbortSignal,
): Promise<AnswerOf<O>> {
  const answer = await sidecar.request({
    path: `/v1.0/invoke/${op.appId}/method${pathOf(op)}${query ? `?${query}` : ''}`,
    ...(signal ? { signal } : {}),
    method: 'GET',
    headers: sidecarHeaders(config, { accept: 'application/json', ...headers }),
    headersTimeout: config.GATEWAY_TIMEOUT_MS,
    bodyTimeout: config.GATEWAY_TIMEOUT_MS,
  });
  const text = await answer.body.text();
  if (answer.statusCode !== 200) throw new Refused(answer.statusCode);
  const parsed = successSchemaOf(op)?.safeParse(JSON.parse(text));
  if (!parsed?.success) throw new Refused(502);
  return parsed.data as AnswerOf<O>;
}
