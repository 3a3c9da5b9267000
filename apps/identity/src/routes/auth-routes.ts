import { createHash } from 'node:crypto';
import { Router } from 'express';
import { LoginRequest, RefreshRequest, RegisterRequest, IdentityPublic } from '@emporium/contracts';
import { idempotent, parseWith, serve } from '@emporium/kit';
import { logIn, registerUser } from '../domain/accounts';
import { logOut, refreshSession } from '../domain/sessions';
import type { IdentityContext } from '../domain/identity-context';
import { clientAddress } from './request-context';

export function authRoutes(ctx: IdentityContext): Router {
  const router = Router();
  const { db, logger } = ctx;

  serve(router, IdentityPublic.register, idempotent({ db, logger }), async (req, res) => {
    res.status(201).json(await registerUser(ctx, parseWith(RegisterRequest, req.body)));
  });

  serve(router, IdentityPublic.logIn, async (req, res) => {
    res.json(await logIn(ctx, parseWith(LoginRequest, req.body), clientAddress(req)));
  });

  // A retried refresh with the same Idempotency-Key gets the first answer back
  // instead of tripping reuse detection; the key is scoped to the token's holder.
  const refreshHolder = (req: Parameters<typeof clientAddress>[0]) =>
    createHash('sha256').update(JSON.stringify((req.body as { refreshToken?: unknown } | undefined)?.refreshToken ?? null)).digest('hex');
  serve(router, IdentityPublic.refresh, idempotent({ db, logger, required: false, caller: refreshHolder }), async (req, res) => {
    res.json(await refreshSession(ctx, parseWith(RefreshRequest, req.body).refreshToken));
  });

  serve(router, IdentityPublic.logOut, async (req, res) => {
    await logOut(ctx, parseWith(RefreshRequest, req.body).refreshToken);
    res.status(204).end();
  });

  serve(router, IdentityPublic.jwks, async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json((await ctx.keys()).jwks);
  });
  return router;
}
