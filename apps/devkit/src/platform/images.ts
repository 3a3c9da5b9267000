import { relative } from 'node:path';
import { appDir, readRunFile, type RunApp } from './run-file';

/**
 * The container image of each app in dapr.yaml, built from the one Dockerfile:
 * apps under apps/ use its `service` stage, web its `web` stage. The chart's
 * values, the Tiltfile and scripts/images.mjs all follow this list, and a test
 * fails when they drift apart.
 */
export interface AppImage {
  app: string;
  /** repository without registry or tag, e.g. emporium/identity */
  repository: string;
  target: 'service' | 'web';
  devTarget: 'service-dev' | 'web-dev';
  buildArgs: Record<string, string>;
  port: number;
  /** what dapr.yaml starts, relative to the app's folder; the image's CMD is the same */
  command: string[];
  /** the app's folder, relative to the repository */
  dir: string;
}

export const imageRepository = (app: string): string => `emporium/${app}`;

/** The image of an app of dapr.yaml, or of an outside party of externals.yaml (`listedIn`, for the error). */
export function imageOf(root: string, app: RunApp, listedIn = 'dapr.yaml'): AppImage {
  const dir = relative(root, appDir(root, app)).split('\\').join('/');
  const base = { app: app.appID, repository: imageRepository(app.appID), port: app.appPort, command: app.command, dir };
  if (dir === 'web') return { ...base, target: 'web', devTarget: 'web-dev', buildArgs: {} };
  const m = /^apps\/([a-z][a-z0-9-]*)$/.exec(dir);
  if (!m) throw new Error(`${listedIn}: ${app.appID} lives in ${dir}; images are built for apps/<name> and web only`);
  return { ...base, target: 'service', devTarget: 'service-dev', buildArgs: { APP: m[1]!, APP_PORT: String(app.appPort) } };
}

export function appImages(root: string): AppImage[] {
  return readRunFile(root).apps.map((app) => imageOf(root, app));
}

/**
 * The sidecar's image: tools/dapr's daprd (the Dockerfile's `sidecar` stage), which the
 * chart's dapr.sidecar.image points Dapr's injector at. Listed after the apps' images.
 */
export interface SidecarImage {
  app: 'sidecar';
  repository: string;
  target: 'sidecar';
  buildArgs: Record<string, string>;
}

export const sidecarImage = (): SidecarImage => ({ app: 'sidecar', repository: imageRepository('daprd'), target: 'sidecar', buildArgs: {} });

/** The `docker build` command line of one image. */
export function dockerBuildArgs(image: Pick<AppImage | SidecarImage, 'repository' | 'target' | 'buildArgs'>, tag: string, registry = ''): string[] {
  const ref = `${registry ? `${registry.replace(/\/$/, '')}/` : ''}${image.repository}:${tag}`;
  return [
    'build',
    '--target',
    image.target,
    ...Object.entries(image.buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    '--tag',
    ref,
    '.',
  ];
}
