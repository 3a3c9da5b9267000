import { openApiDocument } from '@emporium/contracts';
import { publicOperations } from '@/lib/api/routes';

export const dynamic = 'force-static';

/** The public API, generated from contracts/: the same operations the gateway routes. */
export function GET(): Response {
  const doc = { ...openApiDocument(publicOperations, 'Emporium public API'), servers: [{ url: '/api/v1' }] };
  return Response.json(doc);
}
