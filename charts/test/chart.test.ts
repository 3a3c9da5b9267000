import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readExternals, readRunFile } from '@emporium/devkit/platform';
import { chartDir, chartLib, find, helm, manifestCheck, objectsOf, repoRoot, template, type K8sObject } from './delivery-tools';

interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  startupProbe: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}
interface Deployment extends K8sObject {
  spec: { replicas?: number; template: { metadata: { annotations: Record<string, string> }; spec: { containers: Container[] } } };
}
interface Hpa extends K8sObject {
  spec: {
    minReplicas: number;
    maxReplicas: number;
    metrics: { resource: { name: string; target: { averageUtilization: number } } }[];
  };
}

const apps = readRunFile(repoRoot).apps.map((a) => a.appID).sort();
const valueSets: [string, string[], string[]][] = [
  // name, values files, Secrets the cluster holds already
  ['default', [], []],
  ['dev', ['values-dev.yaml'], []],
  ['prod', ['values-prod.yaml'], ['emporium-infrastructure', 'emporium-tls']],
];

describe('the chart renders, lints and decodes strictly', () => {
  test.each(valueSets)('%s values: helm lint --strict passes', (_name, values) => {
    const r = helm(['lint', '--strict', chartDir, ...values.flatMap((v) => ['--values', join(chartDir, v)])]);
    expect(r.stderr + r.stdout).toContain('0 chart(s) failed');
    expect(r.status).toBe(0);
  });

  test.each(valueSets)('%s values: every manifest decodes strictly and the objects fit together', (_name, values, external) => {
    const report = manifestCheck(template(values), external);
    expect(report.errors).toEqual([]);
    const kinds = new Set(report.objects.map((o) => o.kind));
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'NetworkPolicy', 'Component', 'Configuration', 'Resiliency', 'Secret', 'Ingress']) {
      expect(kinds).toContain(kind);
    }
  });

  test.each(['services', 'redis', 'nats', 'mqtt'])('profile %s renders and checks clean', (profile) => {
    expect(manifestCheck(template([], [`dapr.profile=${profile}`])).errors).toEqual([]);
  });

  test('the checker refuses a misplaced field, a misspelt Dapr annotation and a dangling reference', () => {
    const good = template();
    const misplaced = good.replace(/^(\s+)terminationGracePeriodSeconds: 30$/m, '$1terminationGracePeriodSecond: 30');
    const misspelt = good.replace('dapr.io/app-port:', 'dapr.io/app-prot:');
    const dangling = good.replace('dapr.io/config: "emporium-shop"', 'dapr.io/config: "emporium-nope"');
    expect(manifestCheck(misplaced).errors.join('\n')).toMatch(/unknown field "spec.template.spec.terminationGracePeriodSecond"/);
    expect(manifestCheck(misspelt).errors.join('\n')).toMatch(/"dapr.io\/app-prot" is not a Dapr annotation/);
    expect(manifestCheck(dangling).errors.join('\n')).toMatch(/dapr.io\/config "emporium-nope" names no Configuration/);
  });

  test('the checker refuses an app port reachable around its sidecar, and a Configuration that does not deny by default', () => {
    const good = template();
    const docs = good.split(/^---$/m);
    // a Service onto inventory's app port, which no Ingress routes to
    const service = `\napiVersion: v1\nkind: Service\nmetadata:\n  name: emporium-inventory\nspec:\n  selector:\n    app.kubernetes.io/name: inventory\n    app.kubernetes.io/instance: emporium\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n`;
    expect(manifestCheck(`${good}\n---${service}`).errors.join('\n')).toMatch(/service "emporium-inventory" reaches the app port 3104 around the sidecar/);
    const withoutPolicy = docs.filter((d) => !(/kind: NetworkPolicy/.test(d) && /name: emporium-order\n/.test(d))).join('---');
    expect(manifestCheck(withoutPolicy).errors.join('\n')).toMatch(/Deployment "emporium-order": no NetworkPolicy of type Ingress selects its pods/);
    // cart's own Configuration document, whatever is rendered before it
    const allowAll = docs.map((d) => (/kind: Configuration/.test(d) && /name: emporium-cart\n/.test(d) ? d.replace(/defaultAction: deny/, 'defaultAction: allow') : d)).join('---');
    expect(manifestCheck(allowAll).errors.join('\n')).toMatch(/Configuration "emporium-cart": spec.accessControl.defaultAction must be deny/);
  });
});

describe('per app', () => {
  const objects = objectsOf(template());
  const runFile = parse(readFileSync(join(repoRoot, 'dapr.yaml'), 'utf8')) as { apps: { appID: string; appPort: number; placementHostAddress?: string; schedulerHostAddress?: string }[] };

  test.each(apps)('%s: Deployment with its sidecar annotations, probes, resources and image', (app) => {
    const d = find(objects, 'Deployment', `emporium-${app}`) as Deployment;
    const port = runFile.apps.find((a) => a.appID === app)?.appPort;
    const ann = d.spec.template.metadata.annotations;
    expect(ann).toMatchObject({
      'dapr.io/enabled': 'true',
      'dapr.io/app-id': app,
      'dapr.io/app-port': String(port),
      'dapr.io/config': `emporium-${app}`,
      'dapr.io/log-level': 'info',
      'dapr.io/log-as-json': 'true',
      'dapr.io/sidecar-cpu-request': '100m',
      'dapr.io/sidecar-memory-request': '128Mi',
      'dapr.io/sidecar-cpu-limit': '1',
      'dapr.io/sidecar-memory-limit': '512Mi',
      'dapr.io/api-token-secret': 'emporium-dapr-api-token',
      'dapr.io/app-token-secret': 'emporium-app-api-token',
      // the lean sidecar (the Dockerfile's sidecar target) of the chart's registry and tag
      'dapr.io/sidecar-image': 'emporium/daprd:0.1.0',
    });
    // placement and scheduler as `npm run dev` has them (dapr.yaml): only an app with actors or workflows connects
    const entry = runFile.apps.find((a) => a.appID === app)!;
    const off = (address: string | undefined) => (address === '' ? '' : undefined);
    expect([ann['dapr.io/placement-host-address'], ann['dapr.io/scheduler-host-address']]).toEqual([off(entry.placementHostAddress), off(entry.schedulerHostAddress)]);
    const [c] = d.spec.template.spec.containers;
    expect(c?.image).toBe(`emporium/${app}:0.1.0`);
    expect(c?.ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
    expect(c?.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c?.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c?.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c?.resources.requests).toEqual({ cpu: '100m', memory: '192Mi' });
    // the autoscaler owns the replica count
    expect(d.spec.replicas).toBeUndefined();
    find(objects, 'PodDisruptionBudget', `emporium-${app}`);
    // only the app the ingress serves has a Service; every app's port is closed to other pods
    expect(objects.some((o) => o.kind === 'Service' && o.metadata.name === `emporium-${app}`)).toBe(app === 'web');
    const policy = find(objects, 'NetworkPolicy', `emporium-${app}`) as unknown as { spec: { ingress: { ports: { port: number | string }[] }[] } };
    expect(policy.spec.ingress.flatMap((r) => r.ports.map((p) => p.port))).toEqual(app === 'web' ? [50002, 9090, 'http'] : [50002, 9090]);
    const config = find(objects, 'Configuration', `emporium-${app}`) as unknown as { spec: { accessControl: { defaultAction: string; policies: { appId: string; namespace: string }[] } } };
    expect(config.spec.accessControl.defaultAction).toBe('deny');
    expect(config.spec.accessControl.policies.every((p) => p.namespace === 'shop')).toBe(true);
  });

  test.each(apps)('%s: autoscaler defaults are 3 to 10 replicas at CPU 70 %% and memory 80 %%', (app) => {
    const h = find(objects, 'HorizontalPodAutoscaler', `emporium-${app}`) as Hpa;
    expect([h.spec.minReplicas, h.spec.maxReplicas]).toEqual([3, 10]);
    expect(h.spec.metrics.map((m) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
      ['cpu', 70],
      ['memory', 80],
    ]);
  });

  test('dev values: one replica each, no autoscaler and no disruption budget', () => {
    const dev = objectsOf(template(['values-dev.yaml']));
    for (const app of apps) expect((find(dev, 'Deployment', `emporium-${app}`) as Deployment).spec.replicas).toBe(1);
    expect(dev.filter((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'PodDisruptionBudget')).toEqual([]);
    // Tilt builds the apps' images only: the sidecar is the injector's
    for (const app of apps) expect((find(dev, 'Deployment', `emporium-${app}`) as Deployment).spec.template.metadata.annotations['dapr.io/sidecar-image']).toBeUndefined();
  });

  test('the sidecar image: lean from the chart registry and tag, the injector default, or one named', () => {
    const image = (set: string[]) => (find(objectsOf(template([], set)), 'Deployment', 'emporium-order') as Deployment).spec.template.metadata.annotations['dapr.io/sidecar-image'];
    expect(image(['image.registry=ghcr.io/acme/', 'image.tag=1.2.0'])).toBe('ghcr.io/acme/emporium/daprd:1.2.0');
    expect(image(['dapr.sidecar.image=injector'])).toBeUndefined();
    expect(image(['dapr.sidecar.image=ghcr.io/dapr/daprd:1.18.2'])).toBe('ghcr.io/dapr/daprd:1.18.2');
    expect(() => template([], ['dapr.sidecar.image=a b'])).toThrow(/image/);
  });

  test('services get their database from the infrastructure Secret; web is served by the ingress', () => {
    const shop = (find(objects, 'Deployment', 'emporium-shop') as Deployment).spec.template.spec.containers[0];
    expect(shop?.env.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'emporium-infrastructure', key: 'PG_CONNECTION' });
    const ingress = find(objects, 'Ingress', 'emporium') as K8sObject & { spec: { rules: { http: { paths: { backend: unknown }[] } }[] } };
    expect(ingress.spec.rules[0]?.http.paths[0]?.backend).toEqual({ service: { name: 'emporium-web', port: { name: 'http' } } });
  });
});

describe('the outside parties of externals.yaml: deployed with the dev values only, without a sidecar', () => {
  const externals = readExternals(repoRoot);
  const dev = objectsOf(template(['values-dev.yaml']));
  const webPort = readRunFile(repoRoot).apps.find((a) => a.appID === 'web')?.appPort;
  type Service = K8sObject & { spec: { ports: { name: string; port: number; targetPort: string }[] } };

  test.each(valueSets.filter(([name]) => name !== 'dev'))('%s values: none is deployed', (_name, values) => {
    const objects = objectsOf(template(values));
    expect(objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'external')).toEqual([]);
    for (const e of externals) expect(objects.filter((o) => o.metadata.name === e.name)).toEqual([]);
  });

  test('dev values: a Deployment and a Service for each of them and nothing else', () => {
    const names = (kind: string) => dev.filter((o) => o.kind === kind && o.metadata.labels?.['app.kubernetes.io/component'] === 'external').map((o) => o.metadata.name);
    expect(externals.length).toBeGreaterThan(0);
    const expected = externals.map((e) => e.name).sort();
    expect(names('Deployment').sort()).toEqual(expected);
    expect(names('Service').sort()).toEqual(expected);
    expect(dev.filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'external')).toHaveLength(2 * expected.length);
  });

  test.each(externals.map((e) => [e.name, e] as const))('dev values: %s runs its image on its ports with the env of externals.yaml, secrets from the sharing app\'s Secret', (name, e) => {
    const d = find(dev, 'Deployment', name) as Deployment;
    expect(JSON.stringify(d.spec.template.metadata)).not.toContain('dapr.io/');
    expect(d.spec.replicas).toBe(1);
    const [c] = d.spec.template.spec.containers;
    expect(c?.image).toBe(`emporium/${name}:dev`);
    expect(c?.ports[0]).toEqual({ name: 'http', containerPort: e.port, protocol: 'TCP' });
    expect(c?.readinessProbe.httpGet).toEqual({ path: e.healthCheckPath, port: 'http' });
    expect(c?.livenessProbe.httpGet).toEqual({ path: e.healthCheckPath, port: 'http' });
    const service = find(dev, 'Service', name) as Service;
    expect(service.spec.ports.map((p) => [p.name, p.port, p.targetPort])).toEqual(c?.ports.map((p) => [p.name, p.containerPort, p.name]));
    const env = new Map(c?.env.map((v) => [v.name, v]));
    // the parties listen on 127.0.0.1 by default: in a pod, the Service must reach them
    expect(env.get('HOST')?.value).toBe('0.0.0.0');
    for (const [key, value] of Object.entries(e.env)) {
      const secret = /^\$\{secret:([^:}]+):([^}]+)\}$/.exec(String(value));
      if (secret) expect(env.get(key)?.valueFrom?.secretKeyRef).toEqual({ name: `emporium-${secret[1]}`, key: secret[2] });
      else expect(env.get(key)?.value).toBe(String(value).replaceAll(`http://127.0.0.1:${String(webPort)}`, 'http://emporium-web'));
    }
  });

  test('dev values: the apps and the email component reach the parties at the hosts and ports their values name', () => {
    const names = new Set(externals.map((e) => e.name));
    const targets: [string, number][] = [];
    for (const d of dev.filter((o) => o.kind === 'Deployment') as Deployment[]) {
      for (const v of d.spec.template.spec.containers.flatMap((c) => c.env)) {
        const url = /^https?:\/\/([a-z0-9-]+):(\d+)/.exec(v.value ?? '');
        if (url && names.has(url[1]!)) targets.push([url[1]!, Number(url[2])]);
      }
    }
    const email = find(dev, 'Component', 'email') as K8sObject & { spec: { metadata: { name: string; value: string }[] } };
    const meta = (n: string) => email.spec.metadata.find((m) => m.name === n)?.value ?? '';
    if (names.has(meta('host'))) targets.push([meta('host'), Number(meta('port'))]);
    expect(targets.length).toBeGreaterThan(0);
    for (const [host, port] of targets) expect((find(dev, 'Service', host) as Service).spec.ports.map((p) => p.port)).toContain(port);
  });

  test('a party named in externals.envByName that externals.yaml does not have is refused, not ignored', () => {
    expect(() => template(['values-dev.yaml'], ['externals.envByName.carier-sim.CARRIER_STEP_MS=1000'])).toThrow(/externals.envByName.carier-sim: externals.yaml has no party of that name/);
  });

  test('chart:sync refuses a secret the sharing app does not list, a secret inside a longer value and a loopback address with no Service', () => {
    const party = (env: string) => JSON.stringify(`externals:\n  - name: sim\n    dir: ./apps/sim\n    port: 3199\n    healthCheckPath: /healthz\n    command: ["node", "dist/main.js"]\n    env:\n      ${env}\n`);
    const sync = (env: string) => () => chartLib(`chartExternals(${party(env)})`);
    expect(sync('KEY: ${secret:payment:nope}')).toThrow(/sim: KEY reads secret payment:nope, which apps.payment.secrets in charts\/emporium\/values.yaml does not list/);
    expect(sync('KEY: Bearer ${secret:payment:provider-api-key}')).toThrow(/sim: KEY: a secret must be the whole value/);
    expect(sync('URL: http://127.0.0.1:3101/x')).toThrow(/sim: http:\/\/127.0.0.1:3101 is identity, which has no Service in the cluster/);
    expect(sync('URL: http://127.0.0.1:4999/x')).toThrow(/sim: http:\/\/127.0.0.1:4999: nothing of dapr.yaml or externals.yaml listens there/);
    expect(chartLib<{ env: Record<string, string> }[]>(`chartExternals(${party('URL: http://127.0.0.1:3000/x')})`)[0]?.env.URL).toBe('http://{{ include "emporium.appName" (dict "root" . "app" "web") }}/x');
  });
});

describe('secrets through Kubernetes Secrets and the kubernetes secret store, scoped per app', () => {
  const objects = objectsOf(template());

  test('secretstore is secretstores.kubernetes, loaded only by apps that read secrets', () => {
    const store = find(objects, 'Component', 'secretstore') as K8sObject & { spec: { type: string } };
    expect(store.spec.type).toBe('secretstores.kubernetes');
    expect(store.scopes).toEqual(['identity', 'logistics', 'payment']);
  });

  test('each app may read its own Secret and nothing else', () => {
    for (const app of apps) {
      const config = find(objects, 'Configuration', `emporium-${app}`) as K8sObject & { spec: { secrets: { scopes: unknown[] } } };
      expect(config.spec.secrets.scopes).toEqual([
        { storeName: 'secretstore', defaultAccess: 'deny', ...(['identity', 'logistics', 'payment'].includes(app) ? { allowedSecrets: [`emporium-${app}`] } : {}) },
      ]);
    }
    for (const app of ['identity', 'logistics', 'payment']) {
      const role = find(objects, 'Role', `emporium-${app}-secrets`) as K8sObject & { rules: unknown[] };
      expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: [`emporium-${app}`], verbs: ['get'] }]);
    }
    expect(objects.filter((o) => o.kind === 'Role').map((o) => o.metadata.name)).toEqual(['emporium-identity-secrets', 'emporium-logistics-secrets', 'emporium-payment-secrets']);
    const identity = (find(objects, 'Deployment', 'emporium-identity') as Deployment).spec.template.spec.containers[0];
    expect(identity?.env.filter((e) => e.name.startsWith('SIGNING_KEY')).map((e) => [e.name, e.value])).toEqual([
      ['SIGNING_KEY_SECRET', 'emporium-identity'],
      ['SIGNING_KEY_SECRET_KEY', 'jwt-private-key'],
    ]);
  });

  test('identity gets a generated Ed25519 signing key that survives uninstall', () => {
    const secret = find(objects, 'Secret', 'emporium-identity') as K8sObject & { data: Record<string, string> };
    const pem = Buffer.from(secret.data['jwt-private-key'] ?? '', 'base64').toString('utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const type = execFileSync(process.execPath, ['-e', "process.stdout.write(require('crypto').createPrivateKey(require('fs').readFileSync(0)).asymmetricKeyType)"], { input: pem, encoding: 'utf8' });
    expect(type).toBe('ed25519');
    expect(secret.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
  });
});

describe('values.schema.json rejects bad values, naming the key', () => {
  test.each([
    [['dapr.profile=kafka'], "at '/dapr/profile'"],
    [['apps.web.prot=3000'], "additional properties 'prot' not allowed"],
    [['appDefaults.autoscaling.minReplicas=0'], "at '/appDefaults/autoscaling/minReplicas'"],
    [['infrastructure.postgresql.url=mysql://x'], "at '/infrastructure/postgresql/url'"],
    [['image.pullPolicy=Sometimes'], "at '/image/pullPolicy'"],
    [['nonsense=1'], "additional properties 'nonsense' not allowed"],
  ])('--set %s', (set, message) => {
    const r = helm(['template', 'emporium', chartDir, ...set.flatMap((s) => ['--set', s])]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  test('a profile without its broker address fails with the value to set', () => {
    const r = helm(['template', 'emporium', chartDir, '--set', 'dapr.profile=nats', '--set', 'infrastructure.nats.url=']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('infrastructure.nats.url is required by the nats profile');
  });

  test('the schema offers exactly the profiles the chart carries', () => {
    const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as { properties: { dapr: { properties: { profile: { enum: string[] } } } } };
    expect([...schema.properties.dapr.properties.profile.enum].sort()).toEqual(chartLib<string[]>('chartProfiles()'));
  });
});

describe('documentation', () => {
  test('every values key is commented and the README table and components copy are in step', () => {
    type Parameters = { rows: string[][]; undocumented: string[] };
    expect(chartLib<Parameters>('valuesParameters()').undocumented).toEqual([]);
    expect(chartLib<Parameters>(`valuesParameters(${JSON.stringify('a:\n  # -- documented\n  b: 1\n  c: 2\n')})`).undocumented).toEqual(['a.c']);
    const r = execFileSync(process.execPath, [join(repoRoot, 'scripts', 'chart-sync.mjs'), '--check'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r).toContain('chart is in step');
  });

  test('the install notes render, with the address of web and the admin command', () => {
    const r = helm(['install', 'emporium', chartDir, '--namespace', 'shop', '--dry-run=client']);
    expect(r.status).toBe(0);
    const notes = r.stdout.slice(r.stdout.indexOf('NOTES:'));
    expect(notes).toContain('http://emporium.local/');
    expect(notes).toContain('helm test emporium -n shop');
    expect(notes).toContain('deploy/emporium-identity -c identity');
  });

  test('chart:sync --check fails when components/ changed after the last sync', () => {
    // inside the checkout, so the copy's scripts resolve this node_modules
    mkdirSync(join(repoRoot, '.emporium'), { recursive: true });
    const copy = mkdtempSync(join(repoRoot, '.emporium', 'chart-sync-'));
    try {
      for (const dir of ['components', 'charts', 'scripts']) cpSync(join(repoRoot, dir), join(copy, dir), { recursive: true, filter: (src) => !src.includes('/test') });
      const file = join(copy, 'components', 'services', 'pubsub.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('value: "32"', 'value: "64"'));
      let out = '';
      try {
        execFileSync(process.execPath, [join(copy, 'scripts', 'chart-sync.mjs'), '--check'], { cwd: copy, encoding: 'utf8', stdio: 'pipe' });
      } catch (err) {
        out = (err as { stderr: string }).stderr;
      }
      expect(out).toContain('charts/emporium/files/components/services/pubsub.yaml');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
