import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AppIds } from '@emporium/contracts';
import { repoRoot } from './repo';
import { writeAppConfig } from './security';

describe('writeAppConfig', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'appconfig-'));
  const file = writeAppConfig({ root: repoRoot(__dirname), stateDir, appId: AppIds.order, nameResolutionFile: join(stateDir, 'names.db') });
  const config = parse(readFileSync(file, 'utf8')) as { spec: { nameResolution: { component: string; configuration: Record<string, string> } } };
  const resolver = config.spec.nameResolution.configuration;
  const seconds = (text: string | undefined) => Number(/^(\d+)s?$/.exec(text ?? '')?.[1] ?? NaN);

  it('when written, then the SQLite name resolver never runs its garbage collector, which deletes the live hosts in Dapr 1.18', () => {
    // a sidecar started with cleanupInterval 5s (updateInterval 3s) logged "Removed 1 expired rows" after 5 s,
    // then "Host registration lost" at level fatal and exited 1; with "0" it ran on (session 28)
    expect(config.spec.nameResolution.component).toBe('sqlite');
    expect(resolver.cleanupInterval).toBe('0');
  });

  it('when written, then at least three renewals fall in the window a lookup accepts, and they commit without a sync', () => {
    // the component renews every updateInterval - timeout - 1 s, each renewal retrying for up to `timeout`
    const every = seconds(resolver.updateInterval) - seconds(resolver.timeout) - 1;
    expect(every).toBeGreaterThanOrEqual(1);
    expect(3 * every).toBeLessThan(seconds(resolver.updateInterval));
    expect(resolver.connectionString).toContain('synchronous(NORMAL)');
  });
});
