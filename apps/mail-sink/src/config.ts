import { z } from 'zod';

/** The sink's settings; the only place it reads process.env. */
const Config = z.object({
  PORT: z.coerce.number().int().default(3191).describe('HTTP port of the mailbox'),
  SMTP_PORT: z.coerce.number().int().default(2525).describe('Port the SMTP server takes mail on'),
  HOST: z.string().default('127.0.0.1'),
  MAIL_SINK_KEEP: z.coerce.number().int().min(1).max(100_000).default(2_000).describe('How many messages are kept (oldest go first)'),
});

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return Config.parse(env);
}
