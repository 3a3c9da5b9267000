import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appImages, dockerBuildArgs, readExternals, readRunFile } from '@emporium/devkit/platform';
import { deliveryTools, repoRoot, run } from './delivery-tools';
import { deliveryDrift } from './drift';

const execFileAsync = promisify(execFile);

interface Stage {
  name: string;
  base: string;
  user: string;
  workdir: string;
  cmd: string[];
  entrypoint: string[];
  healthcheck: string[];
  runs: string[];
}
interface Report {
  stages: Stage[];
  errors: string[];
}

function dockerfile(target?: string): Report {
  const r = run(deliveryTools().dockerfilecheck, [...(target ? ['-target', target] : []), join(repoRoot, 'Dockerfile')]);
  return JSON.parse(r.stdout) as Report;
}
const stage = (report: Report, name: string): Stage => {
  const s = report.stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
};

describe('one Dockerfile for every app', () => {
  test.each(['service', 'service-dev', 'web', 'web-dev'])('target %s: BuildKit parses and lints it clean; non-root, health check, exec-form command', (target) => {
    expect(dockerfile(target).errors).toEqual([]);
  });

  test('the checker is not blind: a root target without a health check fails', () => {
    expect(dockerfile('build').errors).toEqual(['target build runs as root (USER "")', 'target build has no HEALTHCHECK', 'target build has no CMD']);
  });

  test('each image starts what dapr.yaml starts, in the same folder', () => {
    const report = dockerfile();
    const runFile = readRunFile(repoRoot);
    for (const image of appImages(repoRoot)) {
      const s = stage(report, image.target);
      const app = runFile.apps.find((a) => a.appID === image.app);
      expect(s.user).toBe('node');
      expect(s.healthcheck.join(' ')).toContain('/healthz');
      if (image.target === 'service') {
        expect(s.workdir.replace('${APP}', image.buildArgs.APP ?? '')).toBe(`/repo/${image.dir}`);
        expect(s.cmd).toEqual(app?.command);
      } else {
        // web: dapr.yaml starts web/.next/standalone/web/server.js; the image holds that standalone tree at /repo
        expect(s.workdir).toBe('/repo/web');
        expect(app?.command).toEqual(['node', `.next/standalone/web/${s.cmd[1] ?? ''}`]);
      }
    }
  });

  test('a service image installs only the production dependencies of its workspace', () => {
    const deps = stage(dockerfile(), 'service-deps');
    expect(deps.runs.join('\n')).toMatch(/npm ci --omit=dev --ignore-scripts --workspace "apps\/\$\{APP\}"/);
  });

  test('the sidecar target: BuildKit parses it; non-root, a health check through daprd itself, /daprd as the injector runs it', () => {
    const report = dockerfile('sidecar');
    expect(report.errors).toEqual([]);
    const s = stage(report, 'sidecar');
    expect(s.user).toBe('nonroot');
    expect(s.healthcheck).toEqual(['CMD', '/daprd', 'healthcheck']);
    expect(s.cmd).toEqual(['/daprd']);
    expect(s.entrypoint).toEqual([]);
    // the same runtime as npm run dapr:build: tools/dapr's module, its commands, the version checked
    expect(stage(report, 'sidecar-build').runs.join('\n')).toMatch(/go build -trimpath -o \/out\/daprd[\s\S]*\.\/cmd\/daprd[\s\S]*--version/);
  });

  test('docker build commands come from dapr.yaml and externals.yaml', () => {
    const out = execFileSync(process.execPath, [join(repoRoot, 'scripts', 'images.mjs'), '--json', '--registry', 'ghcr.io/acme/', '--tag', '1.2.0'], { cwd: repoRoot, encoding: 'utf8' });
    const listed = JSON.parse(out) as { app: string; target: string; dir: string; external?: boolean; docker: string[] }[];
    const externals = readExternals(repoRoot);
    expect(listed.map((i) => i.app)).toEqual([...readRunFile(repoRoot).apps.map((a) => a.appID), ...externals.map((e) => e.name), 'sidecar']);
    expect(listed.filter((i) => i.external).map((i) => i.app)).toEqual(externals.map((e) => e.name));
    expect(listed.at(-1)?.docker).toEqual(['docker', 'build', '--target', 'sidecar', '--tag', 'ghcr.io/acme/emporium/daprd:1.2.0', '.']);
    // an outside party builds as a service does, and its image starts what externals.yaml starts, in the same folder
    const service = stage(dockerfile(), 'service');
    for (const e of externals) {
      const image = listed.find((i) => i.app === e.name);
      const dir = e.dir.replace(/^\.\//, '');
      expect(image?.docker).toEqual(['docker', 'build', '--target', 'service', '--build-arg', `APP=${dir.replace(/^apps\//, '')}`, '--build-arg', `APP_PORT=${e.port}`, '--tag', `ghcr.io/acme/emporium/${e.name}:1.2.0`, '.']);
      expect(service.workdir.replace('${APP}', dir.replace(/^apps\//, ''))).toBe(`/repo/${dir}`);
      expect(service.cmd).toEqual(e.command);
    }
    const identity = appImages(repoRoot).find((i) => i.app === 'identity');
    expect(identity && dockerBuildArgs(identity, '1.2.0', 'ghcr.io/acme/')).toEqual([
      'build', '--target', 'service', '--build-arg', 'APP=identity', '--build-arg', 'APP_PORT=3101', '--tag', 'ghcr.io/acme/emporium/identity:1.2.0', '.',
    ]);
  });
});

describe('the production dependencies the image installs are enough to load each service', () => {
  const services = appImages(repoRoot).filter((i) => i.target === 'service');
  /** each service's image root: its production dependencies installed as the Dockerfile does, its build copied in */
  const roots = new Map<string, string>();

  /** What the Dockerfile's manifests, service-deps and service stages do, for one service. */
  async function image(app: string, dir: string): Promise<void> {
    const root = mkdtempSync(join(repoRoot, '.emporium', `image-${app}-`));
    roots.set(app, root);
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(repoRoot, f), join(root, f));
    for (const ws of ['contracts', 'web', ...readRunFile(repoRoot).apps.map((a) => appImages(repoRoot).find((i) => i.app === a.appID)?.dir ?? ''), 'apps/kit']) {
      if (!ws || !existsSync(join(repoRoot, ws, 'package.json'))) continue;
      mkdirSync(join(root, ws), { recursive: true });
      cpSync(join(repoRoot, ws, 'package.json'), join(root, ws, 'package.json'));
    }
    await execFileAsync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--workspace', dir, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: root });
    for (const ws of ['contracts', 'apps/kit', dir]) cpSync(join(repoRoot, ws, 'dist'), join(root, ws, 'dist'), { recursive: true });
  }

  beforeAll(async () => {
    // the services' dist/ as the image copies it (EMPORIUM_BUILT=1: the caller, `npm test` or CI, just built them)
    if (process.env.EMPORIUM_BUILT !== '1') execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], { cwd: repoRoot, stdio: 'inherit' });
    mkdirSync(join(repoRoot, '.emporium'), { recursive: true });
    // eight installs, three at a time: npm waits on the disk as much as on the CPU
    const queue = [...services];
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        for (let s = queue.shift(); s; s = queue.shift()) await image(s.app, s.dir);
      }),
    );
  }, 300_000);
  afterAll(() => {
    for (const root of roots.values()) rmSync(root, { recursive: true, force: true });
  });

  test.each(services.map((s) => [s.app, s.dir] as const))('%s', (app, dir) => {
    const root = roots.get(app)!;
    expect(existsSync(join(root, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(join(root, 'node_modules', 'jest'))).toBe(false);
    // the whole module graph of the service, without starting it
    const exported = execFileSync(process.execPath, ['-e', "process.stdout.write(Object.keys(require('./dist/app.js')).join(','))"], { cwd: join(root, dir), encoding: 'utf8' });
    expect(exported).toMatch(/Service$/);
  });
});

describe('dapr.yaml, the images and the chart name the same apps and ports', () => {
  test('they agree', () => {
    expect(deliveryDrift(repoRoot)).toEqual([]);
  });

  test('an app without an image or chart entry, or with another port, is reported', () => {
    mkdirSync(join(repoRoot, '.emporium'), { recursive: true });
    const root = mkdtempSync(join(repoRoot, '.emporium', 'drift-'));
    try {
      for (const f of ['Dockerfile', 'charts/emporium/values.yaml', 'apps/shop/package.json']) {
        mkdirSync(join(root, f, '..'), { recursive: true });
        cpSync(join(repoRoot, f), join(root, f));
      }
      const runFile = readFileSync(join(repoRoot, 'dapr.yaml'), 'utf8')
        .replace('appPort: 3102', 'appPort: 3198')
        .replace('apps:\n', 'apps:\n  - appID: ledger\n    appDirPath: ./apps/ledger\n    appPort: 3199\n    daprHTTPPort: 3599\n    daprGRPCPort: 3699\n    command: ["node", "dist/main.js"]\n');
      writeFileSync(join(root, 'dapr.yaml'), runFile);
      expect(deliveryDrift(root)).toEqual(
        expect.arrayContaining([
          'ledger: no entry under apps in charts/emporium/values.yaml',
          'ledger: no image: apps/ledger/package.json is missing',
          'shop: port 3102 in the chart, 3198 in dapr.yaml',
        ]),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
