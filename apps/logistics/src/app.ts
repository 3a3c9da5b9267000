import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { logisticsConfig } from './config';
import { migrations } from './data/migrations';
import { LogisticsRepository } from './data/logistics-repository';
import type { LogisticsContext } from './domain/logistics-context';
import { logisticsTasks } from './domain/shipments';
import { logisticsRoutes } from './routes/logistics-routes';
import type { TrackingProvider } from './tracking/provider';
import { SimTrackingProvider, type SimKeys } from './tracking/sim-provider';

/**
 * logistics: shipments of sub-orders with their parcels, each followed
 * through a tracking provider whose signed callbacks move the parcel's
 * normalised status forward; delivered, stale and exceptional parcels are
 * published for order and notification.
 */
export const logisticsService: ServiceDefinition<typeof logisticsConfig, PlatformEvents> = {
  appId: AppIds.logistics,
  schema: 'logistics',
  migrations,
  config: logisticsConfig,
  build({ config, db, sidecar, events, logger }) {
    // read from the secret store on first use (the sidecar starts after the app), kept once read
    let keys: Promise<SimKeys> | undefined;
    const providerKeys = () =>
      (keys ??= (async () => {
        const [apiKey, webhookSecret] = await Promise.all([
          sidecar.getSecret(config.SECRET_STORE, config.CARRIER_API_KEY_SECRET, config.CARRIER_SECRET_KEY_API),
          sidecar.getSecret(config.SECRET_STORE, config.CARRIER_WEBHOOK_SECRET_SECRET, config.CARRIER_SECRET_KEY_WEBHOOK),
        ]);
        if (!apiKey || !webhookSecret) throw new Error("the tracking provider's keys are missing from the secret store");
        return { apiKey, webhookSecret };
      })().catch((err: unknown) => {
        keys = undefined;
        throw err;
      }));
    const sim = new SimTrackingProvider(config.TRACKING_PROVIDER_URL, config.TRACKING_CALLBACK_URL, providerKeys, config.TRACKING_TIMEOUT_MS);
    const providers = new Map<string, TrackingProvider>([[sim.name, sim]]);
    const ctx: LogisticsContext = { db, repo: new LogisticsRepository(db), sidecar, events, logger, provider: sim, providers };
    return {
      routes: [logisticsRoutes(ctx, jwksFromIdentity(sidecar))],
      periodic: logisticsTasks(ctx, { everyMs: config.LOGISTICS_SWEEP_MS, staleSeconds: config.LOGISTICS_STALE_SECONDS, expireSeconds: config.LOGISTICS_EXPIRE_SECONDS }),
    };
  },
};
