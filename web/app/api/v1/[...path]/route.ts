import { proxy } from '@/lib/api/gateway';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ path: string[] }> };
const handle = async (req: Request, ctx: Context) => proxy(req, (await ctx.params).path);

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
