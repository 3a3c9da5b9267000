import { Router, type Request } from 'express';
import { CartInternal, MergeCartRequest, PutCartLineRequest, RemoveCartLinesRequest, CartPublic } from '@emporium/contracts';
import { authenticate, authenticateOptional, companyOf, serve, parseWith, principalOrNull, UnauthenticatedError, uuidParams, type KeySource } from '@emporium/kit';
import { createGuestCart, deleteLine, getCart, mergeGuestCart, putLine, removeLines, storedLines, type Owner } from '../domain/carts';
import type { CartContext } from '../domain/cart-context';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The signed-in user's cart, else the guest cart of X-Cart-Token. */
function ownerOf(req: Request): Owner {
  const p = principalOrNull(req);
  if (p) {
    return { kind: 'user', userId: p.userId, companyId: companyOf(p) };
  }
  const token = req.get('x-cart-token');
  if (token && TOKEN.test(token)) return { kind: 'guest', token };
  throw new UnauthenticatedError('sign in, or send a guest cart token as X-Cart-Token');
}

export function cartRoutes(ctx: CartContext, keys: KeySource): Router {
  const router = Router();
  const maybeSignedIn = authenticateOptional(keys);
  const signedIn = authenticate(keys);

  serve(router, CartPublic.createGuestCart, async (_req, res) => {
    res.status(201).json(await createGuestCart(ctx));
  });
  serve(router, CartPublic.getCart, maybeSignedIn, async (req, res) => {
    res.json(await getCart(ctx, ownerOf(req)));
  });
  // setting a line to a quantity is idempotent by itself: no key needed
  serve(router, CartPublic.putCartLine, maybeSignedIn, async (req, res) => {
    const [skuId] = uuidParams(req, 'skuId');
    res.json(await putLine(ctx, ownerOf(req), skuId!, parseWith(PutCartLineRequest, req.body)));
  });
  serve(router, CartPublic.deleteCartLine, maybeSignedIn, async (req, res) => {
    const [skuId] = uuidParams(req, 'skuId');
    res.json(await deleteLine(ctx, ownerOf(req), skuId!));
  });
  serve(router, CartPublic.mergeGuestCart, signedIn, async (req, res) => {
    const owner = ownerOf(req) as Owner & { kind: 'user' };
    res.json(await mergeGuestCart(ctx, owner, parseWith(MergeCartRequest, req.body).cartToken));
  });

  serve(router, CartInternal.getStoredCart, async (req, res) => {
    const [userId] = uuidParams(req, 'userId');
    res.json({ lines: await storedLines(ctx, userId!) });
  });
  serve(router, CartInternal.removeCartLines, async (req, res) => {
    const [userId] = uuidParams(req, 'userId');
    res.json({ lines: await removeLines(ctx, userId!, parseWith(RemoveCartLinesRequest, req.body).skuIds) });
  });
  return router;
}
