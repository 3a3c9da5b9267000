import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readExternals, readRunFile } from '@emporium/devkit/platform';
import { deliveryTools, repoRoot, run } from '../../charts/test/delivery-tools';

/**
 * The Tiltfile, evaluated by go.starlark.net with Tilt's builtins recorded
 * (tools/manifests/cmd/tiltcheck): helm() runs the real helm, local() runs
 * real commands except the two that ask the cluster, whose answers are given.
 */
interface LiveUpdateStep {
  kind: string;
  src?: string;
  dest?: string;
  cmd?: string;
}
interface Report {
  images: { ref: string; target: string; buildArgs: Record<string, string>; liveUpdate: LiveUpdateStep[]; only: string[] }[];
  resources: { name: string; workload?: string; type: string; labels: string[]; resourceDeps: string[]; portForwards: string[]; objects?: string[] }[];
  helm: string[][];
  workloads: string[];
  errors: string[];
}

const daprCrd = 'kubectl get crd components.dapr.io --ignore-not-found -o name';
const dashboard = 'kubectl get service dapr-dashboard -n dapr-system --ignore-not-found -o name';

function evaluate(cluster: { dapr: boolean; dashboard: boolean }, tiltfile = join(repoRoot, 'Tiltfile')): Report {
  const { helm, tiltcheck } = deliveryTools();
  const r = run(tiltcheck, [
    '-helm', helm,
    '-local', `${daprCrd}=${cluster.dapr ? 'customresourcedefinition.apiextensions.k8s.io/components.dapr.io' : ''}`,
    '-local', `${dashboard}=${cluster.dashboard ? 'service/dapr-dashboard' : ''}`,
    tiltfile,
  ]);
  return JSON.parse(r.stdout) as Report;
}

describe('Tiltfile', () => {
  const report = evaluate({ dapr: true, dashboard: true });
  const apps = readRunFile(repoRoot).apps;
  const externals = readExternals(repoRoot);

  test('evaluates clean: every image used, every resource a workload, every synced path present, the chart strict-checked', () => {
    expect(report.errors).toEqual([]);
    expect(report.helm).toEqual([['template', 'emporium', join(repoRoot, 'charts/emporium'), '--values', join(repoRoot, 'charts/emporium/values-dev.yaml'), '--set', 'image.tag=dev']]);
  });

  test('builds an image with live_update for every app of dapr.yaml and every outside party of externals.yaml', () => {
    expect(report.images.map((i) => i.ref)).toEqual([...apps.map((a) => `emporium/${a.appID}`), ...externals.map((e) => `emporium/${e.name}`)]);
    for (const image of report.images) {
      expect(['service-dev', 'web-dev']).toContain(image.target);
      const [first, ...rest] = image.liveUpdate;
      expect(first?.kind).toBe('fall_back_on');
      expect(rest.some((s) => s.kind === 'sync')).toBe(true);
    }
    const identity = report.images.find((i) => i.ref === 'emporium/identity');
    expect(identity?.buildArgs).toEqual({ APP: 'identity', APP_PORT: '3101' });
    expect(identity?.liveUpdate.filter((s) => s.kind !== 'fall_back_on')).toEqual([
      { kind: 'sync', src: 'contracts/src', dest: '/repo/contracts/src' },
      { kind: 'sync', src: 'apps/kit/src', dest: '/repo/apps/kit/src' },
      { kind: 'sync', src: 'apps/identity/src', dest: '/repo/apps/identity/src' },
      { kind: 'run', cmd: 'npx tsc -b /repo/apps/identity' },
    ]);
  });

  test('labels and orders resources: infrastructure, then the outside parties, then services, then web; web and the parties are port-forwarded', () => {
    const byName = new Map(report.resources.map((r) => [r.name, r]));
    for (const name of ['postgresql', 'rabbitmq', 'redis', 'dapr-resources', 'dapr-dashboard']) expect(byName.get(name)?.labels).toEqual(['infrastructure']);
    expect(byName.get('dapr-resources')?.resourceDeps).toEqual(['postgresql', 'rabbitmq', 'redis']);
    expect(byName.get('dapr-resources')?.objects).toEqual(expect.arrayContaining(['pubsub:component', 'statestore:component', 'emporium-shop:configuration', 'emporium:resiliency']));
    for (const e of externals) {
      expect(byName.get(e.name)).toMatchObject({ workload: e.name, labels: ['externals'], resourceDeps: ['dapr-resources'], portForwards: [`${e.port}:${e.port}`] });
    }
    const services = apps.filter((a) => a.appID !== 'web').map((a) => a.appID);
    for (const s of services) {
      expect(byName.get(s)).toMatchObject({ workload: `emporium-${s}`, labels: ['services'], resourceDeps: [...externals.map((e) => e.name), 'dapr-resources'], portForwards: [] });
    }
    expect(byName.get('web')).toMatchObject({ labels: ['web'], resourceDeps: [...services, 'dapr-resources'], portForwards: ['3000:3000'] });
  });

  test('forwards the Dapr dashboard only when the cluster has one', () => {
    const without = evaluate({ dapr: true, dashboard: false });
    expect(without.errors).toEqual([]);
    expect(without.resources.map((r) => r.name)).not.toContain('dapr-dashboard');
  });

  test('stops with the install command when Dapr is not in the cluster', () => {
    expect(evaluate({ dapr: false, dashboard: false }).errors.join('\n')).toContain('Dapr is not installed in this cluster. Install it first: dapr init -k');
  });

  test('the evaluator is not blind: a resource for a workload that is not deployed fails', () => {
    // beside the real one, so its relative paths resolve; removed at once
    const file = join(repoRoot, `Tiltfile.test-${process.pid}`);
    try {
      writeFileSync(file, readFileSync(join(repoRoot, 'Tiltfile'), 'utf8').replace("k8s_resource('redis',", "k8s_resource('memcached',"));
      expect(evaluate({ dapr: true, dashboard: false }, file).errors).toContain('k8s_resource(memcached): no workload of that name is deployed');
    } finally {
      rmSync(file, { force: true });
    }
  });
});
