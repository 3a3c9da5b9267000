import { startTestPlatform, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { counterService } from './fixtures/counter-actor';

describe('actors through a real sidecar and placement', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('when app and sidecar crash and restart, then the actor state is still there', async () => {
    const id = `counter-${uniqueSuffix()}`;
    const first = await platform.startApp(counterService, { appId: 'kit-actor-host' });
    // placement needs a moment to hand the new host its actor types
    await waitForActor(() => first.dapr.invokeActor('KitTestCounter', id, 'read'));
    expect(await first.dapr.invokeActor('KitTestCounter', id, 'add', { n: 2 })).toBe(2);
    expect(await first.dapr.invokeActor('KitTestCounter', id, 'add', { n: 3 })).toBe(5);
    await first.crash();

    const second = await platform.startApp(counterService, { appId: 'kit-actor-host' });
    await waitForActor(() => second.dapr.invokeActor('KitTestCounter', id, 'read'));
    expect(await second.dapr.invokeActor('KitTestCounter', id, 'read')).toBe(5);
    expect(await second.dapr.invokeActor('KitTestCounter', id, 'add', { n: 1 })).toBe(6);
  });

  it('when many calls reach one actor at once, then they run turn by turn and none is lost', async () => {
    const app = await platform.startApp(counterService, { appId: 'kit-actor-turns' });
    const id = `turns-${uniqueSuffix()}`;
    await waitForActor(() => app.dapr.invokeActor('KitTestCounter', id, 'read'));
    await Promise.all(Array.from({ length: 40 }, () => app.dapr.invokeActor('KitTestCounter', id, 'add', { n: 1 })));
    expect(await app.dapr.invokeActor('KitTestCounter', id, 'read')).toBe(40);
  });

  it('when a method gets a bad body, then the call fails and the state is unchanged', async () => {
    const app = await platform.startApp(counterService, { appId: 'kit-actor-bad' });
    const id = `bad-${uniqueSuffix()}`;
    await waitForActor(() => app.dapr.invokeActor('KitTestCounter', id, 'read'));
    await app.dapr.invokeActor('KitTestCounter', id, 'add', { n: 4 });
    await expect(app.dapr.invokeActor('KitTestCounter', id, 'add', { n: 'x' })).rejects.toThrow();
    expect(await app.dapr.invokeActor('KitTestCounter', id, 'read')).toBe(4);
  });

  it('when a turn fails after changing state it read, then the next turn sees what was stored, not the failed change', async () => {
    const app = await platform.startApp(counterService, { appId: 'kit-actor-failed-turn' });
    const id = `failed-${uniqueSuffix()}`;
    await waitForActor(() => app.dapr.invokeActor('KitTestCounter', id, 'readBox'));
    expect(await app.dapr.invokeActor('KitTestCounter', id, 'bump', { n: 2, fail: false })).toBe(2);
    await expect(app.dapr.invokeActor('KitTestCounter', id, 'bump', { n: 5, fail: true })).rejects.toThrow();
    // the failed turn's change was never written; a cached copy changed in place must not live on
    expect(await app.dapr.invokeActor('KitTestCounter', id, 'readBox')).toBe(2);
    expect(await app.dapr.invokeActor('KitTestCounter', id, 'bump', { n: 1, fail: false })).toBe(3);
  });

  it('when an app with actors has a sidecar without placement, then it is not ready and says why', async () => {
    const app = await platform.startApp(counterService, { appId: 'kit-actor-no-placement', withoutActors: true });
    const res = await fetch(`${app.directUrl}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/sidecar runs without placement/);
  });
});

async function waitForActor(call: () => Promise<unknown>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await call();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
