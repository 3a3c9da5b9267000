import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { ChangeNotifications, jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { notificationConfig } from './config';
import { migrations } from './data/migrations';
import { INBOX_CHANGED, NotificationRepository } from './data/notification-repository';
import { subscribeDeliveries } from './domain/deliveries';
import type { NotificationContext } from './domain/notification-context';
import { notificationRoutes } from './routes/notification-routes';

/**
 * notification: inboxes (站内信) of users, shops and the platform, filled
 * from what happens (orders, refunds, shops, companies, stock, group buys),
 * broadcasts stored once for an audience, and each user's preferences.
 */
export const notificationService: ServiceDefinition<typeof notificationConfig, PlatformEvents> = {
  appId: AppIds.notification,
  schema: 'notification',
  migrations,
  config: notificationConfig,
  build({ db, sidecar, events, logger }) {
    const repo = new NotificationRepository(db);
    const changes = new ChangeNotifications(db.url, INBOX_CHANGED, logger);
    const ctx: NotificationContext = { db, repo, sidecar, events, logger, changes };
    subscribeDeliveries(events, repo, logger);
    return { routes: [notificationRoutes(ctx, jwksFromIdentity(sidecar))], close: () => changes.close() };
  },
};
