import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { paymentConfig } from './config';
import { migrations } from './data/migrations';
import { LedgerRepository } from './data/ledger-repository';
import { PaymentRepository } from './data/payment-repository';
import { RefundRepository } from './data/refund-repository';
import { buyerLimit, companyDecided } from './domain/accounts';
import { releaseSubOrder } from './domain/payments';
import { ProviderClient, type ProviderKeys } from './domain/provider';
import { paymentRoutes } from './routes/payment-routes';
import type { PaymentContext } from './domain/payment-context';

/** payment: intents by card (through the provider), wallet or invoice; the provider's webhooks; the ledger. */
export const paymentService: ServiceDefinition<typeof paymentConfig, PlatformEvents> = {
  appId: AppIds.payment,
  schema: 'payment',
  migrations,
  config: paymentConfig,
  build({ config, db, sidecar, events, logger }) {
    // read from the secret store on first use (the sidecar starts after the app), kept once read
    let keys: Promise<ProviderKeys> | undefined;
    const providerKeys = () =>
      (keys ??= (async () => {
        const [apiKey, webhookSecret] = await Promise.all([
          sidecar.getSecret(config.SECRET_STORE, config.PROVIDER_API_KEY_SECRET, config.PROVIDER_SECRET_KEY_API),
          sidecar.getSecret(config.SECRET_STORE, config.PROVIDER_WEBHOOK_SECRET_SECRET, config.PROVIDER_SECRET_KEY_WEBHOOK),
        ]);
        if (!apiKey || !webhookSecret) throw new Error('the provider keys are missing from the secret store');
        return { apiKey, webhookSecret };
      })().catch((err: unknown) => {
        keys = undefined;
        throw err;
      }));
    const ctx: PaymentContext = {
      db,
      payments: new PaymentRepository(db),
      refunds: new RefundRepository(db),
      ledger: new LedgerRepository(db),
      events,
      logger,
      provider: new ProviderClient(config.PROVIDER_URL, providerKeys, config.PROVIDER_TIMEOUT_MS),
      webhookUrl: config.WEBHOOK_URL,
      walletCurrency: config.WALLET_CURRENCY,
    };
    events.subscribe('sub-order.completed', async ({ data, transaction }) => {
      await releaseSubOrder(ctx, transaction, data);
    });
    // who may pay on invoice: approved companies and their buyers' limits
    events.subscribe('company.approved', ({ data, transaction }) => companyDecided(ctx, transaction, data.companyId, true));
    events.subscribe('company.rejected', ({ data, transaction }) => companyDecided(ctx, transaction, data.companyId, false));
    events.subscribe('company-buyer.joined', ({ data, transaction }) => buyerLimit(ctx, transaction, data));
    events.subscribe('company-buyer.limit-changed', ({ data, transaction }) => buyerLimit(ctx, transaction, data));
    return { routes: [paymentRoutes(ctx, jwksFromIdentity(sidecar))] };
  },
};
