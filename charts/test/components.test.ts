import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readRunFile } from '@emporium/devkit/platform';
import { deliveryTools, find, objectsOf, repoRoot, run, template, type K8sObject } from './delivery-tools';

/**
 * The chart and components/ describe the same Dapr components: same names,
 * types, versions and metadata. Only where secrets come from differs (a
 * Kubernetes Secret instead of the local.env store), and four local-only
 * components are the chart's own: infra-env, secretstore, media and email
 * (a local folder and a local SMTP sink there; storage and a relay by values here).
 */
interface MetadataItem {
  name: string;
  value?: unknown;
  secretKeyRef?: { name: string; key: string };
}
interface Component extends K8sObject {
  spec: { type: string; version: string; metadata: MetadataItem[] };
  auth?: { secretStore: string };
}

const componentsDir = join(repoRoot, 'components');
const appIds = readRunFile(repoRoot).apps.map((a) => a.appID).sort();
const localOnly = ['infra-env', 'secretstore', 'media', 'email'];
const load = (dir: string) =>
  readdirSync(join(componentsDir, dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parse(readFileSync(join(componentsDir, dir, f), 'utf8')) as Component);
const profiles = readdirSync(componentsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !['shared', 'embedded'].includes(e.name))
  .map((e) => e.name);

describe.each(profiles)('profile %s', (profile) => {
  const local = [...load('shared'), ...load(profile)];
  const rendered = objectsOf(template([], [`dapr.profile=${profile}`]));
  const chartComponents = rendered.filter((o): o is Component => o.kind === 'Component');

  test('every shared component of components/ is in the chart with the same type, version and metadata', () => {
    const shared = local.filter((c) => c.kind === 'Component' && !localOnly.includes(c.metadata.name));
    expect(shared.length).toBeGreaterThan(0);
    for (const want of shared) {
      const got = find(rendered, 'Component', want.metadata.name) as Component;
      expect([got.spec.type, got.spec.version]).toEqual([want.spec.type, want.spec.version]);
      expect(got.spec.metadata).toEqual(
        want.spec.metadata.map((m) =>
          m.secretKeyRef
            ? // the same key, now of the release's infrastructure Secret
              { name: m.name, secretKeyRef: { name: 'emporium-infrastructure', key: m.secretKeyRef.key } }
            : { name: m.name, value: String(m.value) },
        ),
      );
      // locally the keys come from infra-env; in Kubernetes Dapr's operator reads the Secret
      expect(want.auth?.secretStore === undefined || want.auth.secretStore === 'infra-env').toBe(true);
      expect(got.auth).toBeUndefined();
      expect(got.scopes).toEqual(want.scopes ?? appIds);
    }
  });

  test('the chart adds no component that components/ does not name', () => {
    const names = new Set(local.map((c) => c.metadata.name));
    for (const c of chartComponents) expect(names).toContain(c.metadata.name);
  });

  test('the local-only components are replaced by Kubernetes equivalents of the same name', () => {
    expect((find(rendered, 'Component', 'secretstore') as Component).spec.type).toBe('secretstores.kubernetes');
    const media = find(rendered, 'Component', 'media') as Component;
    const localMedia = local.find((c) => c.metadata.name === 'media');
    expect([media.spec.type, media.scopes]).toEqual([localMedia?.spec.type, localMedia?.scopes]);
    expect(chartComponents.map((c) => c.metadata.name)).not.toContain('infra-env');
  });

  test('Resiliency and the Configuration spec are those of components/', () => {
    const resiliency = load('shared').find((c) => c.kind === 'Resiliency');
    expect(find(rendered, 'Resiliency', resiliency?.metadata.name ?? '').spec).toEqual(resiliency?.spec);
    const config = parse(readFileSync(join(componentsDir, 'config.yaml'), 'utf8')) as { spec: Record<string, unknown> };
    // plus the app's own secret scope and its access-control policies (chart.test.ts checks those)
    const { secrets: _secrets, accessControl, ...spec } = find(rendered, 'Configuration', 'emporium-shop').spec ?? {};
    expect(spec).toEqual(config.spec);
    expect(accessControl).toMatchObject({ defaultAction: 'deny', trustDomain: 'public' });
  });
});

test('media can be any binding given in values', () => {
  const rendered = objectsOf(
    template([], ['media.component.type=bindings.aws.s3', 'media.component.metadata[0].name=bucket', 'media.component.metadata[0].value=emporium-media']),
  );
  const media = find(rendered, 'Component', 'media') as Component;
  expect(media.spec).toEqual({ type: 'bindings.aws.s3', version: 'v1', metadata: [{ name: 'bucket', value: 'emporium-media' }] });
  expect(rendered.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
});

describe('components/ itself decodes strictly against Dapr types', () => {
  const files = readdirSync(componentsDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(componentsDir, f));

  test('every file of every profile', () => {
    const r = run(deliveryTools().manifestcheck, ['-decode-only', ...files]);
    const report = JSON.parse(r.stdout) as { objects: unknown[]; errors: string[] };
    expect(report.errors).toEqual([]);
    expect(report.objects).toHaveLength(files.length);
  });

  test('a field Dapr does not know fails, where daprd would ignore it', () => {
    const resiliency = readFileSync(join(componentsDir, 'shared', 'resiliency.yaml'), 'utf8').replace('maxInterval: 10s', 'initialInterval: 100ms\n        maxInterval: 10s');
    const r = run(deliveryTools().manifestcheck, ['-decode-only', '-'], resiliency);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('unknown field \\"spec.policies.retries.deliver.initialInterval\\"');
  });
});
