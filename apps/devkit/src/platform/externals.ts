import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { PlatformSecrets } from './secrets';

/**
 * externals.yaml: processes the runner starts beside the platform without a
 * sidecar (the card provider simulator). Unknown keys are refused.
 */
const External = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/),
    dir: z.string(),
    port: z.number().int().positive(),
    healthCheckPath: z.string().startsWith('/'),
    command: z.array(z.string()).min(1),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  })
  .strict();
export type External = z.infer<typeof External>;
const ExternalsFile = z.object({ externals: z.array(External).default([]) }).strict();

export function readExternals(root: string): External[] {
  const file = join(root, 'externals.yaml');
  if (!existsSync(file)) return [];
  return ExternalsFile.parse(parse(readFileSync(file, 'utf8'))).externals;
}

export const externalDir = (root: string, e: External) => resolve(root, e.dir);

/** env with ${secret:<scope>:<name>} replaced from the secrets file; a missing secret is an error. */
export function externalEnv(e: External, secrets: PlatformSecrets): Record<string, string> {
  return Object.fromEntries(
    Object.entries(e.env).map(([k, v]) => [
      k,
      String(v).replace(/\$\{secret:([^:}]+):([^}]+)\}/g, (_m, scope: string, name: string) => {
        const value = secrets[scope]?.[name];
        if (value === undefined) throw new Error(`externals.yaml: ${e.name} needs secret ${scope}:${name}, which .emporium/secrets.json lacks`);
        return value;
      }),
    ]),
  );
}

/**
 * The keys an external declares that the given environment sets:
 * `CARRIER_STEP_MS=300 npm run dev` wins over externals.yaml's value. Ports
 * stay as declared (a shell's PORT would move every external onto one).
 */
export function declaredOverrides(e: External, env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.keys(e.env).flatMap((k) => (env[k] === undefined || /PORT$/.test(k) ? [] : [[k, env[k]]])));
}
