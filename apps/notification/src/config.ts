import { z } from 'zod';

/** notification's own settings beside the kit's (see @emporium/kit config): a zod shape, each key with a default and a description. */
export const notificationConfig = {
  NOTIFICATION_EMAIL_BINDING: z.string().default('email').describe("Dapr output binding e-mail goes through (bindings.smtp: locally the mail sink, in Kubernetes the chart's relay)"),
  NOTIFICATION_BROADCAST_SPREAD_MS: z.coerce.number().int().min(0).max(30_000).default(2_000).describe("A broadcast wakes every reader's long poll (and live badge): each re-reads its inbox within this many ms, at random, so they do not all read at once"),
  NOTIFICATION_EMAIL_EVERY_MS: z.coerce.number().int().min(100).max(600_000).default(2_000).describe('How often e-mails due are sent'),
  NOTIFICATION_EMAIL_BATCH: z.coerce.number().int().min(1).max(500).default(20).describe('E-mails sent per pass'),
  NOTIFICATION_EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10).describe('Tries before an e-mail is given up (failed)'),
  NOTIFICATION_DIGEST_HOURLY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3_600).describe("How long an 'hourly' digest gathers e-mails after its first, before it goes out as one"),
  NOTIFICATION_DIGEST_DAILY_SECONDS: z.coerce.number().int().min(1).max(7 * 86_400).default(86_400).describe("How long a 'daily' digest gathers e-mails after its first, before it goes out as one"),
  NOTIFICATION_WEB_URL: z.url().default('http://127.0.0.1:3000').describe("The storefront's address, for links in e-mail"),
} as const satisfies z.ZodRawShape;
