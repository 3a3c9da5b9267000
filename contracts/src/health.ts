import { z } from 'zod';

/** One dependency's readiness. */
export const ReadinessCheck = z
  .object({
    name: z.string(),
    ok: z.boolean(),
    detail: z.string().optional(),
  })
  .strict();
export type ReadinessCheck = z.infer<typeof ReadinessCheck>;

/** Body of `GET /readyz` (200 when every check is ok, 503 otherwise). */
export const Readiness = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.array(ReadinessCheck),
  })
  .strict();
export type Readiness = z.infer<typeof Readiness>;

/** Body of `GET /healthz`: the process is alive. */
export const Liveness = z.object({ status: z.literal('ok') }).strict();
export type Liveness = z.infer<typeof Liveness>;
