import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { deadLetterTopic } from '@emporium/contracts';
import { freePort, provisionStreams, repoRoot, spawnManaged, waitFor, tcpOpen, type ManagedProcess, type ProfileName } from '@emporium/devkit/platform';
import { startTestPlatform, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { ProbeEvents, probeService } from './fixtures/probe-service';

/**
 * Every profile folder in components/ is loaded by real sidecars and carries
 * one state write and one pub/sub message between two of them. A new profile
 * folder is tested without touching this file.
 */
const profiles = readdirSync(join(repoRoot(__dirname), 'components'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'shared')
  .map((d) => d.name as ProfileName);

describe.each(profiles)('profile %s', (profile) => {
  let platform: TestPlatform;
  let broker: ManagedProcess | undefined;
  const run = uniqueSuffix();

  beforeAll(async () => {
    const endpoints: { mqtt?: string } = {};
    if (profile === 'embedded') {
      // the runner's in-process broker, as `npm run dev` starts it when nothing is installed
      const port = await freePort();
      broker = spawnManaged({ name: 'mqtt-broker', command: process.execPath, args: [join(repoRoot(__dirname), 'scripts/infra/mqtt-broker.mjs'), '--port', String(port)] });
      await waitFor('mqtt broker', () => tcpOpen('127.0.0.1', port));
      endpoints.mqtt = `tcp://127.0.0.1:${port}`;
    }
    platform = await startTestPlatform({ profile, endpoints });
    if (profile === 'nats') {
      const topics = Object.keys(ProbeEvents);
      await provisionStreams(platform.endpoints.nats, [...topics, ...topics.map(deadLetterTopic)].map((t) => platform.wireTopic(t)));
    }
  });
  afterAll(async () => {
    await platform?.stop();
    await broker?.stop();
  });

  it('when a sidecar loads the profile, then a state write round-trips and a message reaches the other sidecar', async () => {
    const [a, b] = await Promise.all([
      platform.startApp(probeService, { appId: `kit-profile-${profile}-a` }),
      platform.startApp(probeService, { appId: `kit-profile-${profile}-b` }),
    ]);
    const key = `profile-${run}`;
    await a.dapr.saveState('statestore', key, { profile, run });
    const stored = await a.dapr.getState<{ profile: string; run: string }>('statestore', key);
    expect(stored?.value).toEqual({ profile, run });
    expect(stored?.etag).toBeTruthy();

    await request(a.url).post('/publish').send({ run, n: 7, failFirst: false }).expect(202);
    let rows: { n: number }[] = [];
    await waitFor(`message on ${profile}`, async () => {
      rows = await b.service.deps.db.query<{ n: number }>('SELECT n FROM received WHERE run = :run', { run });
      return rows.length > 0;
    }, 30_000, 200);
    expect(rows).toEqual([{ n: 7 }]);
  });
});
