import { randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { sign, SIGNATURE_HEADER } from './signature';

/**
 * A parcel tracking provider, simulated (what Kuaidi100, AfterShip or 17TRACK
 * are to a shop): logistics subscribes a carrier's tracking number with a
 * callback address; the simulator then pushes the parcel's checkpoints over
 * time, each a carrier code with the carrier's words, signed with HMAC and
 * retried until the receiver answers 2xx. The last four digits of a tracking
 * number choose the journey, as test cards choose a payment's outcome.
 */
export const TestJourneys = {
  '0001': 'a failed delivery attempt ("could not deliver"), then delivered the next day',
  '0002': 'an exception (delayed by weather), then back in transit and delivered',
  '0003': 'refused by the recipient and returned to the sender',
  '0004': 'every checkpoint sent twice with the same id, and the delivery pushed again under a new id',
  '0005': 'the delivery scan arrives before the out-for-delivery scan it follows',
  '0006': 'accepted, then never a word again (a stale parcel)',
  '0007': 'left at a pickup point, then collected',
  '0008': 'a checkpoint with a code no mapping knows, then delivered',
} as const;

export interface SimulatorOptions {
  apiKey: string;
  webhookSecret: string;
  /** time between two checkpoints */
  stepMs: number;
  /** first retry after this long, doubling */
  retryMs?: number;
  maxAttempts?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

/** One checkpoint of a journey: its carrier code and words, the step it happened at and the step it is pushed at. */
interface Step {
  code: string;
  description: string;
  location: string | null;
  /** step index of the carrier's scan (occurredAt) */
  at: number;
  /** step index the callback is sent at (defaults to `at`) */
  sendAt?: number;
  /** the same callback (same event id) this many times */
  copies?: number;
  /** pushed once more later under a new event id, as providers' full re-pushes do */
  repush?: boolean;
}

const S = (code: string, description: string, location: string | null, at: number, more: Partial<Step> = {}): Step => ({ code, description, location, at, ...more });
const start = (): Step[] => [
  S('ORDER_RECEIVED', '商家已通知快递员揽件 The shipper has created the waybill', null, 0),
  S('PICKED_UP', '快递员已揽收 Picked up by the courier', '深圳 Shenzhen', 1),
  S('DEPARTED', '快件已从【深圳转运中心】发出 Departed Shenzhen hub', '深圳 Shenzhen', 2),
  S('ARRIVED', '快件已到达【上海转运中心】 Arrived at Shanghai hub', '上海 Shanghai', 3),
];
const outForDelivery = (at: number, more: Partial<Step> = {}) => S('OUT_FOR_DELIVERY', '快递员正在派件 Out for delivery with the courier', '上海 Shanghai', at, more);
const delivered = (at: number, more: Partial<Step> = {}) => S('DELIVERED', '已签收，签收人：本人 Delivered, signed by the recipient', '上海 Shanghai', at, more);

/** The journey a tracking number's last four digits choose (any other: delivered in six steps). */
export function journeyOf(trackingNumber: string): Step[] {
  const suffix = trackingNumber.replace(/\D/g, '').slice(-4);
  switch (suffix) {
    case '0001':
      // the words say "deliver"; only the code says it was not delivered
      return [...start(), outForDelivery(4), S('DELIVERY_ATTEMPTED', '派送不成功，无法投递：收件人不在 Could not deliver: nobody at home, will try again', '上海 Shanghai', 5), outForDelivery(6), delivered(7)];
    case '0002':
      return [...start().slice(0, 3), S('DELAYED', '因天气原因延误 Delayed by severe weather', '杭州 Hangzhou', 3), S('RESUMED', '问题已解决，快件继续运输 Problem resolved, on its way again', '杭州 Hangzhou', 4), outForDelivery(5), delivered(6)];
    case '0003':
      return [...start(), outForDelivery(4), S('REFUSED', '收件人拒收 Refused by the recipient', '上海 Shanghai', 5), S('RETURNING', '快件退回中 Returning to the sender', '上海 Shanghai', 6), S('RETURNED', '退件已签收 Returned to the sender and signed for', '深圳 Shenzhen', 7)];
    case '0004':
      return [...start(), outForDelivery(4), delivered(5, { repush: true })].map((s) => ({ ...s, copies: 2 }));
    case '0005':
      // scanned in order, pushed out of order: the delivery first, the out-for-delivery half a step later
      return [...start(), outForDelivery(4, { sendAt: 5.5 }), delivered(5)];
    case '0006':
      return [start()[0]!];
    case '0007':
      return [...start(), outForDelivery(4), S('AT_PICKUP_POINT', '快件已存放至【菜鸟驿站】，请凭取件码领取 Left at a pickup point for collection', '上海 Shanghai', 5), S('DELIVERED', '已从驿站取出 Collected from the pickup point', '上海 Shanghai', 6)];
    case '0008':
      return [...start(), S('SORT_SCAN_X9', '分拣扫描 Sorting scan', '上海 Shanghai', 4), outForDelivery(5), delivered(6)];
    default:
      return [...start(), outForDelivery(4), delivered(5)];
  }
}

const Subscribe = z
  .object({
    carrier: z.string().regex(/^[A-Z]{2,10}$/),
    trackingNumber: z.string().regex(/^[A-Z0-9]{6,40}$/),
    callbackUrl: z.url(),
    /** the subscriber's own id for the parcel, sent back on every callback */
    reference: z.string().min(1).max(200),
  })
  .strict();

interface Tracking {
  id: string;
  carrier: string;
  trackingNumber: string;
  callbackUrl: string;
  reference: string;
  createdAt: string;
  sent: { id: string; code: string; occurredAt: string }[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;

export function createSimulator(opts: SimulatorOptions): { app: Express; trackings: Map<string, Tracking>; stop: () => void } {
  const trackings = new Map<string, Tracking>();
  const timers = new Set<NodeJS.Timeout>();
  const log = opts.log ?? (() => undefined);
  const retryMs = opts.retryMs ?? 500;
  const maxAttempts = opts.maxAttempts ?? 10;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  /** Sends one callback, retrying with doubling waits until 2xx or the attempts run out; settles when this attempt is over. */
  function send(tracking: Tracking, eventId: string, body: string, attempt = 1): Promise<void> {
    return (async () => {
      try {
        const res = await fetch(tracking.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(opts.webhookSecret, body) }, body, signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        log('callback delivered', { event: eventId, tracking: tracking.id, status: res.status, attempt });
        if (res.ok) return;
      } catch (err) {
        log('callback failed', { event: eventId, tracking: tracking.id, attempt, err: String(err) });
      }
      if (attempt >= maxAttempts) return log('callback given up', { event: eventId, tracking: tracking.id });
      later(retryMs * 2 ** (attempt - 1), () => void send(tracking, eventId, body, attempt + 1));
    })();
  }

  /**
   * A tracking's pushes go out one after another, as a carrier's queue per
   * subscription does: the next first attempt waits for the one before it, so
   * they arrive in the order pushed however slow the receiver is (a retry
   * comes later and may arrive after newer ones, as with a real carrier).
   */
  const queues = new Map<string, Promise<void>>();
  function inTurn(tracking: Tracking, fn: () => Promise<void>) {
    const next = (queues.get(tracking.id) ?? Promise.resolve()).then(fn, fn);
    queues.set(tracking.id, next);
  }

  function push(tracking: Tracking, step: Step, occurredAt: string) {
    const eventId = id('evt');
    const body = JSON.stringify({
      id: eventId,
      type: 'tracking.checkpoint',
      trackingId: tracking.id,
      reference: tracking.reference,
      carrier: tracking.carrier,
      trackingNumber: tracking.trackingNumber,
      checkpoint: { code: step.code, description: step.description, location: step.location, occurredAt },
    });
    tracking.sent.push({ id: eventId, code: step.code, occurredAt });
    inTurn(tracking, () => send(tracking, eventId, body));
    // a duplicate (same id) a moment later, beside the queue: the receiver must drop it
    for (let copy = 1; copy < (step.copies ?? 1); copy++) later(copy * 200, () => void send(tracking, eventId, body));
  }

  function follow(tracking: Tracking) {
    const began = Date.now();
    for (const step of journeyOf(tracking.trackingNumber)) {
      // the carrier's scan time is the step's own, whenever the push goes out
      const occurredAt = new Date(began + step.at * opts.stepMs).toISOString();
      later((step.sendAt ?? step.at) * opts.stepMs, () => push(tracking, step, occurredAt));
      if (step.repush) later(((step.sendAt ?? step.at) + 0.5) * opts.stepMs, () => push(tracking, { ...step, copies: 1 }, occurredAt));
    }
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const api = express.Router();
  api.use('/v1', (req, _res, next) => {
    if (req.get('authorization') !== `Bearer ${opts.apiKey}`) throw new HttpError(401, 'unauthorized', 'a valid API key is required');
    next();
  });
  /** Subscribing the same number for the same reference again is the same subscription (200), so a retry never doubles the callbacks. */
  api.post('/v1/trackings', (req, res) => {
    const input = Subscribe.parse(req.body);
    const existing = [...trackings.values()].find((t) => t.carrier === input.carrier && t.trackingNumber === input.trackingNumber && t.reference === input.reference);
    if (existing) {
      res.status(200).json(view(existing));
      return;
    }
    const tracking: Tracking = { id: id('trk'), ...input, createdAt: new Date().toISOString(), sent: [] };
    trackings.set(tracking.id, tracking);
    log('tracking subscribed', { tracking: tracking.id, carrier: tracking.carrier, trackingNumber: tracking.trackingNumber, reference: tracking.reference });
    follow(tracking);
    res.status(201).json(view(tracking));
  });
  api.get('/v1/trackings/:id', (req, res) => {
    const t = trackings.get(req.params.id);
    if (!t) throw new HttpError(404, 'no_such_tracking', 'no such tracking');
    res.json(view(t));
  });
  app.use(api);

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: { code: 'not_found', message: 'no such route' } });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) return void res.status(err.status).json({ error: { code: err.code, message: err.message } });
    if (err instanceof z.ZodError) return void res.status(400).json({ error: { code: 'invalid_request', message: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) return void res.status(status).json({ error: { code: 'invalid_request', message: (err as Error).message } });
    log('error', { err: String(err) });
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  });
  return { app, trackings, stop: () => timers.forEach((t) => clearTimeout(t)) };
}

function view(t: Tracking) {
  const { callbackUrl: _c, ...rest } = t;
  return rest;
}
