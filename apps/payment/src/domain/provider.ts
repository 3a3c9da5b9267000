import { UnavailableError, ConflictError, keepAliveAgent, sendHttp, verifyWebhookSignature, type HttpAnswer } from '@emporium/kit';

/**
 * The card provider's API as its client sees it: every write carries an
 * Idempotency-Key, so a retry after a timeout never pays twice; webhooks are
 * checked against their HMAC signature over the raw body and refused when
 * older than five minutes.
 */
export interface ProviderKeys {
  apiKey: string;
  webhookSecret: string;
}

export interface ProviderPayment {
  id: string;
  status: string;
  hostedUrl: string;
}

export class ProviderClient {
  private readonly agent: ReturnType<typeof keepAliveAgent>;
  constructor(
    private readonly baseUrl: string,
    private readonly keys: () => Promise<ProviderKeys>,
    private readonly timeoutMs: number,
  ) {
    this.agent = keepAliveAgent(baseUrl);
  }

  private async call<T>(method: string, path: string, idempotencyKey: string | null, body?: unknown, opts: { notFound?: () => T } = {}): Promise<T> {
    const { apiKey } = await this.keys();
    let res: HttpAnswer;
    try {
      res = await sendHttp(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs: this.timeoutMs,
        agent: this.agent,
      });
    } catch (err) {
      throw new UnavailableError(`the card provider did not answer: ${String(err)}`);
    }
    const text = res.text();
    if (res.status === 404 && opts.notFound) return opts.notFound();
    if (res.status === 409) throw new ConflictError(`the card provider refused: ${text}`);
    if (!res.ok) throw new UnavailableError(`the card provider answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  createPayment(idempotencyKey: string, body: { amount: number; currency: string; reference: string; description?: string; returnUrl?: string; webhookUrl: string }) {
    return this.call<ProviderPayment>('POST', '/v1/payments', idempotencyKey, body);
  }

  /** A payment the provider does not know cannot be captured any more: for cancelling, that is as good as cancelled. */
  cancelPayment(idempotencyKey: string, providerPaymentId: string) {
    return this.call<ProviderPayment | null>('POST', `/v1/payments/${encodeURIComponent(providerPaymentId)}/cancel`, idempotencyKey, {}, { notFound: () => null });
  }

  /** Gives money of a captured payment back; `reference` comes back on the refund's webhooks. */
  createRefund(idempotencyKey: string, body: { paymentId: string; amount: number; reference: string }) {
    return this.call<{ id: string; status: string }>('POST', '/v1/refunds', idempotencyKey, body);
  }

  async verify(rawBody: Buffer, header: string | undefined, now = Date.now()): Promise<{ ok: true } | { ok: false; reason: string }> {
    return verifyWebhookSignature((await this.keys()).webhookSecret, rawBody, header, now);
  }
}

