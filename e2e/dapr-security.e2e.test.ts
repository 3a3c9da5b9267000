import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRunFile } from '@emporium/devkit/platform';

/**
 * Issue 12's "done when", on the platform `npm run dev` started: sidecars
 * talk mTLS with certificates from Sentry, each sidecar holds the
 * access-control policies generated from the registry, every sidecar wants
 * its API token and every app its app token.
 */
const root = join(__dirname, '..');
const apps = readRunFile(root).apps;
const portsOf = (appId: string) => apps.find((a) => a.appID === appId)!;
const tokens = () => JSON.parse(readFileSync(join(root, '.emporium', 'dapr-tokens.json'), 'utf8')) as Record<string, { dapr: string; app: string }>;
const reservation = JSON.stringify({ orderId: 'e2e-forged', lines: [{ lineId: 'l1', skuId: '3f2a6c1e-0d4b-4c8e-9a7f-1b2c3d4e5f60', quantity: 1 }] });

describe("Dapr's own security", () => {
  it("when web's sidecar calls inventory's reservation operation, then inventory's sidecar refuses it with 403; a public operation goes through", async () => {
    const web = `http://127.0.0.1:${portsOf('web').daprHTTPPort}/v1.0/invoke`;
    const headers = { 'dapr-api-token': tokens().web!.dapr, 'content-type': 'application/json' };
    expect((await fetch(`${web}/inventory/method/internal/reservations`, { method: 'POST', headers, body: reservation })).status).toBe(403);
    expect((await fetch(`${web}/inventory/method/stock?skuIds=3f2a6c1e-0d4b-4c8e-9a7f-1b2c3d4e5f60`, { headers })).status).toBe(200);
  });

  it('when any sidecar is called without its API token, then it answers 401', async () => {
    for (const app of apps) {
      const res = await fetch(`http://127.0.0.1:${app.daprHTTPPort}/v1.0/invoke/${app.appID}/method/healthz`);
      expect([app.appID, res.status]).toEqual([app.appID, 401]);
    }
  });

  it("when inventory's app port is called directly with a forged dapr-caller-app-id: order, then it is refused; its probes still answer", async () => {
    const inventory = `http://127.0.0.1:${portsOf('inventory').appPort}`;
    const forged = await fetch(`${inventory}/internal/reservations`, { method: 'POST', headers: { 'dapr-caller-app-id': 'order', 'content-type': 'application/json' }, body: reservation });
    expect([forged.status, ((await forged.json()) as { code: string }).code]).toEqual([401, 'unauthenticated']);
    expect((await fetch(`${inventory}/healthz`)).status).toBe(200);
  });
});
