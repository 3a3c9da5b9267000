import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '@emporium/devkit/platform';

/**
 * `npm run new:service` as a developer runs it, in a copy of this checkout:
 * the new service compiles, is listed everywhere the platform lists its
 * services, and passes its own generated test, booting with its sidecar
 * under mTLS with tokens and access control.
 */
const root = repoRoot(__dirname);
const name = 'loyalty-points';

describe('npm run new:service', () => {
  let copy: string;
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'emporium-new-service-'));
    // what the generator edits and what the new service builds and boots on; node_modules is shared
    const tracked = execFileSync('git', ['ls-files', 'contracts', 'apps/kit', 'apps/devkit', 'components', 'charts/emporium/values.yaml', 'dapr.yaml', 'externals.yaml', 'tsconfig.json', 'tsconfig.base.json', 'jest.config.js', 'scripts/test-sequencer.cjs', 'e2e/global-setup.cjs', 'e2e/global-teardown.cjs', 'e2e/server-errors.ts', 'README.md', 'package.json'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    for (const f of tracked) {
      mkdirSync(dirname(join(copy, f)), { recursive: true });
      copyFileSync(join(root, f), join(copy, f));
    }
    mkdirSync(join(copy, '.emporium'));
    copyFileSync(join(root, '.emporium', 'dapr.json'), join(copy, '.emporium', 'dapr.json'));
    // the checkout's dependencies, but its own workspaces: @emporium/* must resolve inside the copy
    mkdirSync(join(copy, 'node_modules', '@emporium'), { recursive: true });
    for (const entry of readdirSync(join(root, 'node_modules'))) {
      if (entry !== '@emporium' && entry !== '.bin') symlinkSync(join(root, 'node_modules', entry), join(copy, 'node_modules', entry));
    }
    for (const [pkg, dir] of [['contracts', 'contracts'], ['kit', 'apps/kit'], ['devkit', 'apps/devkit'], [name, `apps/${name}`]]) {
      symlinkSync(join(copy, dir!), join(copy, 'node_modules', '@emporium', pkg!));
    }
  });
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('when a developer adds a service, then it is wired everywhere, builds, and passes its own test with its sidecar', () => {
    const made = spawnSync(process.execPath, [join(root, 'scripts', 'new-service.mjs'), name, '--root', copy], { encoding: 'utf8' });
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const read = (f: string) => readFileSync(join(copy, f), 'utf8');
    // the next free port after the platform's own services (3101 up; 3190 is the provider simulator's)
    const port = Math.max(...[...readFileSync(join(root, 'dapr.yaml'), 'utf8').matchAll(/appPort: (\d+)/g)].map((m) => Number(m[1])).filter((p) => p > 3100 && p < 3190)) + 1;
    expect(read('dapr.yaml')).toContain(`- appID: loyalty-points\n    appDirPath: ./apps/loyalty-points\n    appPort: ${port}\n    daprHTTPPort: ${port + 400}\n    daprGRPCPort: ${port + 500}\n    appHealthCheckPath: /healthz\n    placementHostAddress: ""\n    schedulerHostAddress: ""\n`);
    expect(read('tsconfig.json')).toContain('{ "path": "apps/loyalty-points" }');
    expect(read('charts/emporium/values.yaml')).toContain(`  loyalty-points:\n    # -- Port loyalty-points listens on (appPort in dapr.yaml)\n    port: ${port}\n`);
    expect(read('contracts/src/names.ts')).toContain("  loyaltyPoints: 'loyalty-points',\n");
    expect(read('contracts/src/api.ts')).toMatch(/\.\.\.LoyaltyPointsOperations\];/);
    expect(read('contracts/src/api.ts')).toContain('...Object.values<ApiOperation>(LoyaltyPointsInternal),');
    expect(read('README.md')).toContain(`| loyalty-points | say what it owns | ${port} (sidecar ${port + 400}) | — | — |`);
    // it verifies access tokens with identity's keys, fetched through its sidecar: it must be let through
    expect(read('contracts/src/identity-api.ts')).toContain("'loyalty-points'], summary: 'Keys that verify access tokens'");

    // a second run refuses, and changes nothing
    const again = spawnSync(process.execPath, [join(root, 'scripts', 'new-service.mjs'), name, '--root', copy], { encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('exists already');

    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', join(copy, 'apps', name)], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);

    const jest = spawnSync(process.execPath, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--config', join(copy, 'jest.config.js'), '--selectProjects', 'component', '--testPathPatterns', `apps/${name}/test`], {
      cwd: copy,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(jest.stderr).toMatch(/Tests: +2 passed, 2 total/);
    expect(jest.status).toBe(0);
  }, 420_000);
});
