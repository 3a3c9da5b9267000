import { Router, type Request } from 'express';
import { z } from 'zod';
import { BroadcastQuery, CreateBroadcastRequest, InboxChangesQuery, InboxQuery, Locale, NotificationPublic, PutNotificationPreferences, type ApiOperation } from '@emporium/contracts';
import { authenticate, idempotencyKeyOf, idempotent, parseWith, principalOf, requireRole, requireShopStaff, serve, type KeySource } from '@emporium/kit';
import type { Inbox } from '../data/notification-repository';
import { createBroadcast, listBroadcasts, listInbox, markOne, preferencesOf, putPreferences, userInbox, waitForChange } from '../domain/inboxes';
import type { NotificationContext } from '../domain/notification-context';

const LocaleQuery = z.object({ locale: Locale.optional() }).strict();
const localeOf = (req: Request) => parseWith(LocaleQuery, req.query, 'query').locale ?? 'zh-CN';
const param = (req: Request, name: string) => String(req.params[name]);

/** Each route is an operation of contracts/src/notification-api.ts; the three inboxes share their handlers. */
export function notificationRoutes(ctx: NotificationContext, keys: KeySource): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const admin = [signedIn, requireRole('platform_admin')];
  const once = idempotent({ db: ctx.db, logger: ctx.logger, caller: (req) => principalOf(req).userId });
  const me = (req: Request): Inbox => userInbox(principalOf(req));
  const shop = (req: Request): Inbox => {
    const shopId = param(req, 'shopId');
    requireShopStaff(principalOf(req), shopId);
    return { kind: 'shop', shopId };
  };
  const platform = (): Inbox => ({ kind: 'platform' });

  const inboxRoutes = (ops: { list: ApiOperation; count?: ApiOperation; read: ApiOperation; archive?: ApiOperation; readAll: ApiOperation }, guard: (typeof signedIn)[], inboxOf: (req: Request) => Inbox) => {
    serve(router, ops.list, ...guard, async (req, res) => {
      res.json(await listInbox(ctx, inboxOf(req), parseWith(InboxQuery, req.query, 'query')));
    });
    if (ops.count) {
      serve(router, ops.count, ...guard, async (req, res) => {
        res.json({ unread: await ctx.repo.unread(inboxOf(req)) });
      });
    }
    serve(router, ops.readAll, ...guard, async (req, res) => {
      res.json({ marked: await ctx.repo.markAll(inboxOf(req)) });
    });
    serve(router, ops.read, ...guard, async (req, res) => {
      res.json(await markOne(ctx, inboxOf(req), param(req, 'messageId'), false, localeOf(req)));
    });
    if (ops.archive) {
      serve(router, ops.archive, ...guard, async (req, res) => {
        res.json(await markOne(ctx, inboxOf(req), param(req, 'messageId'), true, localeOf(req)));
      });
    }
  };
  const P = NotificationPublic;
  inboxRoutes({ list: P.listMyNotifications, count: P.countMyUnread, read: P.readMyNotification, archive: P.archiveMyNotification, readAll: P.readAllMyNotifications }, [signedIn], me);
  inboxRoutes({ list: P.listShopNotifications, count: P.countShopUnread, read: P.readShopNotification, archive: P.archiveShopNotification, readAll: P.readAllShopNotifications }, [signedIn], shop);
  inboxRoutes({ list: P.listPlatformNotifications, read: P.readPlatformNotification, readAll: P.readAllPlatformNotifications }, admin, platform);

  serve(router, P.watchMyNotifications, signedIn, async (req, res) => {
    const q = parseWith(InboxChangesQuery, req.query, 'query');
    res.json(await waitForChange(ctx, me(req), q.after, q.waitMs));
  });
  serve(router, P.getMyNotificationPreferences, signedIn, async (req, res) => {
    res.json(await preferencesOf(ctx, principalOf(req).userId));
  });
  serve(router, P.putMyNotificationPreferences, signedIn, async (req, res) => {
    res.json(await putPreferences(ctx, principalOf(req).userId, parseWith(PutNotificationPreferences, req.body)));
  });
  serve(router, P.createBroadcast, ...admin, once, async (req, res) => {
    res.status(201).json(await createBroadcast(ctx, principalOf(req).userId, idempotencyKeyOf(req), parseWith(CreateBroadcastRequest, req.body)));
  });
  serve(router, P.listBroadcasts, ...admin, async (req, res) => {
    res.json(await listBroadcasts(ctx, parseWith(BroadcastQuery, req.query, 'query')));
  });
  return router;
}
