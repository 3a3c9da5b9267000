import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { appImages, readRunFile, type AppImage } from '@emporium/devkit/platform';
import { deliveryTools, run } from './delivery-tools';

interface DockerfileReport {
  stages: { name: string }[];
  errors: string[];
}

/**
 * Where dapr.yaml (the one list of apps) and the delivery files disagree: an
 * app without an image, without a chart entry or with another port, a chart
 * entry for no app. Empty when they agree.
 */
export function deliveryDrift(root: string): string[] {
  const problems: string[] = [];
  const runFile = readRunFile(root);
  const values = parse(readFileSync(join(root, 'charts', 'emporium', 'values.yaml'), 'utf8')) as { apps?: Record<string, { port?: number }> };
  const chartApps = values.apps ?? {};
  const dockerfile = JSON.parse(run(deliveryTools().dockerfilecheck, [join(root, 'Dockerfile')]).stdout) as DockerfileReport;
  const stages = new Set(dockerfile.stages.map((s) => s.name));
  let images: AppImage[] = [];
  try {
    images = appImages(root);
  } catch (err) {
    problems.push(`images: ${(err as Error).message}`);
  }
  for (const app of runFile.apps) {
    const id = app.appID;
    const entry = chartApps[id];
    if (!entry) problems.push(`${id}: no entry under apps in charts/emporium/values.yaml`);
    else if (entry.port !== app.appPort) problems.push(`${id}: port ${String(entry.port)} in the chart, ${app.appPort} in dapr.yaml`);
    const image = images.find((i) => i.app === id);
    if (!image) {
      problems.push(`${id}: no image`);
      continue;
    }
    if (!existsSync(join(root, image.dir, 'package.json'))) problems.push(`${id}: no image: ${image.dir}/package.json is missing`);
    for (const target of [image.target, image.devTarget]) {
      if (!stages.has(target)) problems.push(`${id}: the Dockerfile has no stage ${target}`);
    }
  }
  for (const id of Object.keys(chartApps)) {
    if (!runFile.apps.some((a) => a.appID === id)) problems.push(`${id}: in the chart but not in dapr.yaml`);
  }
  return problems;
}
