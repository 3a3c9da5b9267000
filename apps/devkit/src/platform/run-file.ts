import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * dapr.yaml, in the Dapr CLI's multi-app run format: the one list of
 * app-ids, ports and commands that the runner, the tests, the image list and
 * the chart read. Unknown keys are refused so a typo cannot pass silently.
 */
const RunApp = z
  .object({
    appID: z.string().regex(/^[a-z][a-z0-9-]*$/),
    appDirPath: z.string(),
    appPort: z.number().int().positive(),
    daprHTTPPort: z.number().int().positive(),
    daprGRPCPort: z.number().int().positive(),
    daprInternalGRPCPort: z.number().int().positive().optional(),
    metricsPort: z.number().int().positive().optional(),
    appProtocol: z.literal('http').optional(),
    appHealthCheckPath: z.string().optional(),
    enableAppHealthCheck: z.boolean().optional(),
    // "" (the Dapr CLI's way to say none): the app hosts no actors and no workflows, and its sidecar
    // connects to neither placement nor scheduler; omitted: the control plane the runner started
    placementHostAddress: z.literal('').optional(),
    schedulerHostAddress: z.literal('').optional(),
    command: z.array(z.string()).min(1),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();
export type RunApp = z.infer<typeof RunApp>;

const RunFile = z
  .object({
    version: z.literal(1),
    common: z
      .object({
        resourcesPaths: z.array(z.string()).optional(),
        configFilePath: z.string().optional(),
        appProtocol: z.literal('http').optional(),
        logLevel: z.string().optional(),
        env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      })
      .strict()
      .optional(),
    apps: z.array(RunApp).nullable().transform((a) => a ?? []),
  })
  .strict();
export type RunFile = z.infer<typeof RunFile>;

export function readRunFile(root: string): RunFile {
  const file = RunFile.parse(parse(readFileSync(join(root, 'dapr.yaml'), 'utf8')));
  const seen = new Set<string>();
  const ports = new Set<number>();
  for (const app of file.apps) {
    if (seen.has(app.appID)) throw new Error(`dapr.yaml lists ${app.appID} twice`);
    seen.add(app.appID);
    for (const p of [app.appPort, app.daprHTTPPort, app.daprGRPCPort, app.daprInternalGRPCPort, app.metricsPort]) {
      if (p === undefined) continue;
      if (ports.has(p)) throw new Error(`dapr.yaml uses port ${p} twice`);
      ports.add(p);
    }
  }
  return file;
}

/**
 * The placement and scheduler addresses an app's sidecar is given: none ("") where dapr.yaml says
 * so (an app without actors or workflows), else the control plane's.
 */
export function controlPlaneFor(app: Pick<RunApp, 'placementHostAddress' | 'schedulerHostAddress'>, cp: { placementAddress: string; schedulerAddress: string }): { placementAddress: string; schedulerAddress: string } {
  return { placementAddress: app.placementHostAddress ?? cp.placementAddress, schedulerAddress: app.schedulerHostAddress ?? cp.schedulerAddress };
}

export function appDir(root: string, app: RunApp): string {
  return resolve(root, app.appDirPath);
}
