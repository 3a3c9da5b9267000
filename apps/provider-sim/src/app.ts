import { createHash, randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { sign, SIGNATURE_HEADER } from './signature';

/**
 * A card payment provider, simulated: what Emporium's payment service talks to
 * as it would to a real one. Payments are created over an authenticated API
 * with an Idempotency-Key, paid on a hosted page (or the confirm call that
 * page makes), and reported by asynchronous webhooks signed with HMAC, retried
 * until the receiver answers 2xx. Test cards choose the outcome.
 */
export const TestCards = {
  '4242424242424242': 'succeeds',
  '4000000000000002': 'is declined',
  '4000000000003220': 'succeeds after a delay (processing first)',
  '4000000000000077': 'succeeds; the webhook is sent twice',
  '4000000000000341': 'succeeds; the processing webhook arrives after the success',
} as const;
type Card = keyof typeof TestCards;

export interface SimulatorOptions {
  apiKey: string;
  webhookSecret: string;
  /** where webhooks go when a payment names none */
  webhookUrl?: string;
  /** this simulator's own address, for hosted page links */
  publicUrl: string;
  delayMs?: number;
  /** first retry after this long, doubling */
  retryMs?: number;
  maxAttempts?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

type PaymentStatus = 'requires_payment_method' | 'processing' | 'succeeded' | 'failed' | 'cancelled';
interface Payment {
  id: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  reference: string;
  description: string | null;
  returnUrl: string | null;
  webhookUrl: string | null;
  hostedUrl: string;
  failureCode: string | null;
  refunded: number;
  createdAt: string;
  sequence: number;
}
interface Refund {
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded';
  /** the merchant's own id for the refund, sent back on its webhooks */
  reference: string | null;
  createdAt: string;
}

const CreatePayment = z
  .object({
    amount: z.number().int().min(1).max(10_000_000_000),
    currency: z.string().regex(/^[A-Z]{3}$/),
    reference: z.string().min(1).max(200),
    description: z.string().max(500).optional(),
    returnUrl: z.url().optional(),
    webhookUrl: z.url().optional(),
  })
  .strict();
const Confirm = z.object({ cardNumber: z.string().transform((s) => s.replace(/[\s-]/g, '')) }).strict();
const CreateRefund = z.object({ paymentId: z.string(), amount: z.number().int().min(1), reference: z.string().max(200).optional() }).strict();

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
const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function createSimulator(opts: SimulatorOptions): { app: Express; payments: Map<string, Payment>; idle: () => Promise<void> } {
  const payments = new Map<string, Payment>();
  const refunds = new Map<string, Refund>();
  const idempotency = new Map<string, { hash: string; status: number; body: unknown }>();
  const inFlight = new Set<Promise<void>>();
  const log = opts.log ?? (() => undefined);
  const delayMs = opts.delayMs ?? 3_000;
  const retryMs = opts.retryMs ?? 500;
  const maxAttempts = opts.maxAttempts ?? 10;

  /** Resolves once nothing is in flight, including what in-flight work started meanwhile. */
  async function idle(): Promise<void> {
    while (inFlight.size) await Promise.all([...inFlight]);
  }

  function track(p: Promise<void>) {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }

  /**
   * Delivers one event, retrying with doubling waits until 2xx or the attempts
   * run out. `copies` sends the very same event (same id) again, as providers
   * do when they are unsure the first delivery arrived.
   */
  function deliver(payment: Payment, type: string, data: object, sequence: number, afterMs = 0, copies = 1) {
    const target = payment.webhookUrl ?? opts.webhookUrl;
    if (!target) return;
    const event = { id: id('evt'), type, createdAt: new Date().toISOString(), sequence, data };
    const body = JSON.stringify(event);
    for (let copy = 0; copy < copies; copy++) send(target, event, body, afterMs + copy * 200);
  }

  function send(target: string, event: { id: string; type: string }, body: string, afterMs: number) {
    const { type } = event;
    track(
      (async () => {
        if (afterMs) await new Promise((r) => setTimeout(r, afterMs));
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          try {
            const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(opts.webhookSecret, body) }, body, signal: AbortSignal.timeout(10_000) });
            await res.arrayBuffer();
            log('webhook delivered', { event: event.id, type, status: res.status, attempt });
            if (res.ok) return;
          } catch (err) {
            log('webhook failed', { event: event.id, type, attempt, err: String(err) });
          }
          await new Promise((r) => setTimeout(r, retryMs * 2 ** (attempt - 1)));
        }
        log('webhook given up', { event: event.id, type });
      })(),
    );
    return event.id;
  }

  const view = (p: Payment) => {
    const { sequence: _s, webhookUrl: _w, ...rest } = p;
    return rest;
  };

  function confirm(p: Payment, cardNumber: string): Payment {
    if (p.status !== 'requires_payment_method') throw new HttpError(409, 'payment_not_confirmable', `payment ${p.id} is ${p.status}`);
    if (!(cardNumber in TestCards)) throw new HttpError(400, 'invalid_card', `use a test card: ${Object.keys(TestCards).join(', ')}`);
    const card = cardNumber as Card;
    const snapshot = () => view(p);
    switch (card) {
      case '4242424242424242':
        p.status = 'succeeded';
        deliver(p, 'payment.succeeded', snapshot(), ++p.sequence);
        break;
      case '4000000000000002':
        p.status = 'failed';
        p.failureCode = 'card_declined';
        deliver(p, 'payment.failed', snapshot(), ++p.sequence);
        break;
      case '4000000000003220': {
        p.status = 'processing';
        deliver(p, 'payment.processing', snapshot(), ++p.sequence);
        const seq = ++p.sequence;
        track(
          new Promise<void>((resolve) =>
            setTimeout(() => {
              p.status = 'succeeded';
              deliver(p, 'payment.succeeded', view(p), seq);
              resolve();
            }, delayMs),
          ),
        );
        break;
      }
      case '4000000000000077':
        p.status = 'succeeded';
        deliver(p, 'payment.succeeded', snapshot(), ++p.sequence, 0, 2);
        break;
      case '4000000000000341': {
        const processingSeq = ++p.sequence;
        const processing = { ...snapshot(), status: 'processing' };
        p.status = 'succeeded';
        deliver(p, 'payment.succeeded', snapshot(), ++p.sequence);
        // the older event arrives last
        deliver(p, 'payment.processing', processing, processingSeq, 300);
        break;
      }
    }
    return p;
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const api = express.Router();
  // the API takes the account's key; the hosted page below is for shoppers
  api.use('/v1', (req, _res, next) => {
    if (req.get('authorization') !== `Bearer ${opts.apiKey}`) throw new HttpError(401, 'unauthorized', 'a valid API key is required');
    next();
  });
  /** Same key and same body: the first answer again; same key, other body: 422. */
  function once(req: Request, res: Response, run: () => { status: number; body: unknown }) {
    const key = req.get('idempotency-key');
    if (!key) throw new HttpError(400, 'idempotency_key_required', 'every write takes an Idempotency-Key');
    const hash = createHash('sha256').update(`${req.method} ${req.path} ${JSON.stringify(req.body)}`).digest('hex');
    const seen = idempotency.get(key);
    if (seen) {
      if (seen.hash !== hash) throw new HttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was used with another request');
      res.status(seen.status).set('idempotent-replayed', 'true').json(seen.body);
      return;
    }
    const answer = run();
    idempotency.set(key, { hash, ...answer });
    res.status(answer.status).json(answer.body);
  }
  const payment = (paymentId: string | string[] | undefined) => {
    const p = typeof paymentId === 'string' ? payments.get(paymentId) : undefined;
    if (!p) throw new HttpError(404, 'no_such_payment', 'no such payment');
    return p;
  };

  api.post('/v1/payments', (req, res) => {
    once(req, res, () => {
      const input = CreatePayment.parse(req.body);
      const pid = id('pay');
      const p: Payment = {
        id: pid,
        status: 'requires_payment_method',
        amount: input.amount,
        currency: input.currency,
        reference: input.reference,
        description: input.description ?? null,
        returnUrl: input.returnUrl ?? null,
        webhookUrl: input.webhookUrl ?? null,
        hostedUrl: `${opts.publicUrl}/pay/${pid}`,
        failureCode: null,
        refunded: 0,
        createdAt: new Date().toISOString(),
        sequence: 0,
      };
      payments.set(pid, p);
      log('payment created', { payment: pid, amount: p.amount, reference: p.reference });
      return { status: 201, body: view(p) };
    });
  });
  api.get('/v1/payments/:id', (req, res) => {
    res.json(view(payment(req.params.id)));
  });
  // what the hosted page does, for automation (tests, benchmarks)
  api.post('/v1/payments/:id/confirm', (req, res) => {
    res.json(view(confirm(payment(req.params.id), Confirm.parse(req.body).cardNumber)));
  });
  api.post('/v1/payments/:id/cancel', (req, res) => {
    once(req, res, () => {
      const p = payment(req.params.id);
      if (p.status === 'succeeded' || p.status === 'processing') throw new HttpError(409, 'payment_not_cancellable', `payment ${p.id} is ${p.status}`);
      if (p.status !== 'cancelled') {
        p.status = 'cancelled';
        deliver(p, 'payment.cancelled', view(p), ++p.sequence);
      }
      return { status: 200, body: view(p) };
    });
  });
  api.post('/v1/refunds', (req, res) => {
    once(req, res, () => {
      const input = CreateRefund.parse(req.body);
      const p = payment(input.paymentId);
      if (p.status !== 'succeeded') throw new HttpError(409, 'payment_not_refundable', `payment ${p.id} is ${p.status}`);
      if (p.refunded + input.amount > p.amount) throw new HttpError(422, 'refund_exceeds_payment', `at most ${p.amount - p.refunded} can still be refunded`);
      p.refunded += input.amount;
      const r: Refund = { id: id('re'), paymentId: p.id, amount: input.amount, currency: p.currency, status: 'pending', reference: input.reference ?? null, createdAt: new Date().toISOString() };
      refunds.set(r.id, r);
      track(
        new Promise<void>((resolve) =>
          setTimeout(() => {
            r.status = 'succeeded';
            deliver(p, 'refund.succeeded', { ...r }, ++p.sequence);
            resolve();
          }, 50),
        ),
      );
      return { status: 201, body: r };
    });
  });
  // test mode, as real providers have one: wait until every webhook in flight has been delivered
  // (or given up), and lose a payment as a provider's outage might; tests drive the simulator by these
  api.post('/v1/test/idle', async (_req, res) => {
    await idle();
    res.status(204).end();
  });
  api.delete('/v1/test/payments/:id', (req, res) => {
    res.status(payments.delete(req.params.id) ? 204 : 404).end();
  });
  app.use(api);

  // the hosted payment page: what a shopper sees between the shop and its return page
  app.get('/pay/:id', (req, res) => {
    const p = payments.get(req.params.id);
    if (!p) {
      res.status(404).type('html').send('<!doctype html><title>Not found</title><p>No such payment.</p>');
      return;
    }
    const cards = Object.entries(TestCards).map(([n, what]) => `<li><code>${n}</code> ${html(what)}</li>`).join('');
    const amount = `${p.currency} ${(p.amount / 100).toFixed(2)}`;
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Pay ${html(amount)}</title></head>
<body><main>
<h1>Pay ${html(amount)}</h1>
<p>${html(p.description ?? p.reference)}</p>
${p.status === 'requires_payment_method' ? `<form method="post" action="/pay/${p.id}">
<label for="card">Card number</label>
<input id="card" name="cardNumber" inputmode="numeric" autocomplete="cc-number" required>
<button type="submit">Pay ${html(amount)}</button>
</form>` : `<p role="status">This payment is ${html(p.status)}.</p>`}
<h2>Test cards</h2><ul>${cards}</ul>
</main></body></html>`);
  });
  app.post('/pay/:id', (req, res) => {
    const p = payment(req.params.id);
    const given = (req.body as { cardNumber?: unknown }).cardNumber;
    confirm(p, Confirm.parse({ cardNumber: typeof given === 'string' ? given : '' }).cardNumber);
    if (p.returnUrl) {
      const back = new URL(p.returnUrl);
      back.searchParams.set('paymentId', p.id);
      back.searchParams.set('status', p.status);
      res.redirect(303, back.toString());
      return;
    }
    res.redirect(303, `/pay/${p.id}`);
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ code: 'not_found', message: 'no such route' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ code: err.code, message: err.message });
      return;
    }
    if (err instanceof z.ZodError) {
      res.status(400).json({ code: 'invalid_request', message: 'the request is not valid', errors: err.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) });
      return;
    }
    log('error', { err: String(err) });
    res.status(500).json({ code: 'internal', message: 'internal error' });
  });

  return { app, payments, idle };
}
