import { config } from '@/lib/config';

export const dynamic = 'force-dynamic';

/** Ready when web's sidecar has loaded its components. */
export async function GET(): Promise<Response> {
  const { DAPR_HOST, DAPR_HTTP_PORT } = config();
  const ok = await fetch(`http://${DAPR_HOST}:${DAPR_HTTP_PORT}/v1.0/healthz/outbound`, { signal: AbortSignal.timeout(1_000) }).then(
    (res) => res.status === 204,
    () => false,
  );
  const body = { status: ok ? 'ready' : 'not_ready', checks: [{ name: 'dapr-sidecar', ok }] };
  return Response.json(body, { status: ok ? 200 : 503 });
}
