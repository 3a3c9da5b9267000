import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { ChangeNotifications, jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { notificationConfig } from './config';
import { migrations } from './data/migrations';
import { INBOX_CHANGED, NotificationRepository } from './data/notification-repository';
import { subscribeDeliveries } from './domain/deliveries';
import { emailTask } from './domain/emails';
import type { NotificationContext } from './domain/notification-context';
import { notificationRoutes } from './routes/notification-routes';

/**
 * notification: inboxes (站内信) of users, shops and the platform, filled
 * from what happens (orders, refunds, shops, companies, stock, group buys),
 * broadcasts stored once for an audience (a user tag too, as analytics
 * tells), each user's preferences, and e-mail through Dapr's SMTP binding:
 * to users, to a shop's staff, to invited addresses, and digests.
 */
export const notificationService: ServiceDefinition<typeof notificationConfig, PlatformEvents> = {
  appId: AppIds.notification,
  schema: 'notification',
  migrations,
  config: notificationConfig,
  build({ config, db, sidecar, events, logger }) {
    const repo = new NotificationRepository(db, { hourly: config.NOTIFICATION_DIGEST_HOURLY_SECONDS, daily: config.NOTIFICATION_DIGEST_DAILY_SECONDS });
    const changes = new ChangeNotifications(db.url, INBOX_CHANGED, logger);
    const ctx: NotificationContext = { db, repo, sidecar, events, logger, changes, broadcastSpreadMs: config.NOTIFICATION_BROADCAST_SPREAD_MS };
    subscribeDeliveries(events, repo, logger);
    const emails = emailTask({
      repo,
      sidecar,
      logger,
      binding: config.NOTIFICATION_EMAIL_BINDING,
      everyMs: config.NOTIFICATION_EMAIL_EVERY_MS,
      batch: config.NOTIFICATION_EMAIL_BATCH,
      maxAttempts: config.NOTIFICATION_EMAIL_MAX_ATTEMPTS,
      webUrl: config.NOTIFICATION_WEB_URL,
    });
    return { routes: [notificationRoutes(ctx, jwksFromIdentity(sidecar))], periodic: [emails], close: () => changes.close() };
  },
};
