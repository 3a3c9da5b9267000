import { dashboardSummary } from '@/lib/api/gateway';

export const dynamic = 'force-dynamic';

/** The admin console's platform summary (served by web itself, not proxied). */
export const GET = (req: Request) => dashboardSummary(req);
