import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { createSimulator, journeyOf } from './app';

const secret = 'a-webhook-secret-of-some-length';
const apiKey = 'an-api-key-of-some-length';

describe('the carrier simulator', () => {
  let receiver: Server;
  let sim: Server;
  let stop: () => void;
  const received: { body: string; signature: string }[] = [];
  let simUrl = '';
  let callbackUrl = '';

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-carrier-signature']) });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cb`;
    const s = createSimulator({ apiKey, webhookSecret: secret, stepMs: 20 });
    stop = s.stop;
    sim = s.app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => sim.once('listening', r));
    simUrl = `http://127.0.0.1:${(sim.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    stop();
    sim.close();
    receiver.close();
  });

  const subscribe = (trackingNumber: string, reference: string, key = apiKey) =>
    fetch(`${simUrl}/v1/trackings`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ carrier: 'SF', trackingNumber, callbackUrl, reference }) });

  it('when a number is subscribed, then its checkpoints come signed, in order, and subscribing again changes nothing', async () => {
    expect((await subscribe('SF123456789012', 'r1', 'wrong')).status).toBe(401);
    expect((await subscribe('SF123456789012', 'r1')).status).toBe(201);
    expect((await subscribe('SF123456789012', 'r1')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    const mine = received.filter((r) => (JSON.parse(r.body) as { reference: string }).reference === 'r1');
    expect(mine.map((r) => (JSON.parse(r.body) as { checkpoint: { code: string } }).checkpoint.code)).toEqual(['ORDER_RECEIVED', 'PICKED_UP', 'DEPARTED', 'ARRIVED', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    for (const r of mine) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(r.signature)!;
      expect(createHmac('sha256', secret).update(`${t}.${r.body}`).digest('hex')).toBe(v1);
    }
  });

  it('when a test number is used, then its journey is the one its last four digits name', () => {
    const codes = (n: string) => journeyOf(n).map((s) => s.code);
    expect(codes('SF123456780001')).toContain('DELIVERY_ATTEMPTED');
    expect(codes('SF123456780003').slice(-2)).toEqual(['RETURNING', 'RETURNED']);
    expect(codes('SF123456780006')).toEqual(['ORDER_RECEIVED']);
    expect(codes('SF123456780008')).toContain('SORT_SCAN_X9');
    const ooo = journeyOf('SF123456780005');
    const ofd = ooo.find((s) => s.code === 'OUT_FOR_DELIVERY')!;
    const delivered = ooo.find((s) => s.code === 'DELIVERED')!;
    // scanned before the delivery, sent after it
    expect(ofd.at).toBeLessThan(delivered.at);
    expect(ofd.sendAt!).toBeGreaterThan(delivered.sendAt ?? delivered.at);
  });
});
