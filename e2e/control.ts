/**
 * The running platform's control port (the runner's, loopback only), as
 * `npm run platform -- kill|start <app>` uses it: the suites that kill an app
 * with its sidecar and start it again (they run alone: scripts/test.mjs ALONE).
 */
const CONTROL = `http://127.0.0.1:${process.env.EMPORIUM_CONTROL_PORT ?? 3698}/apps`;

/** Kills `appId` with its sidecar, or starts them again (answers once the app is ready). */
export async function control(appId: string, what: 'kill' | 'start'): Promise<void> {
  const res = await fetch(`${CONTROL}/${appId}/${what}`, { method: 'POST' });
  expect([res.status, await res.json()]).toEqual([200, { appId, done: what }]);
}

/** Whatever happened in a suite, leaves these apps running for the suites after it. */
export async function leaveRunning(...appIds: string[]): Promise<void> {
  for (const appId of appIds) await fetch(`${CONTROL}/${appId}/start`, { method: 'POST' }).catch(() => undefined);
}
