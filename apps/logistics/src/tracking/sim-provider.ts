import { z } from 'zod';
import type { CarrierCode, ExceptionKind, TrackingStatus } from '@emporium/contracts';
import { keepAliveAgent, sendHttp, UnavailableError, ValidationError, verifyWebhookSignature, type HttpAnswer } from '@emporium/kit';
import type { ProviderCheckpoint, TrackingProvider } from './provider';

/**
 * The carrier simulator's codes (apps/carrier-sim), mapped by code. The
 * words beside a code are for people: "Could not deliver" comes with
 * DELIVERY_ATTEMPTED and must never read as delivered. A real provider's
 * adapter has a table like this of its own codes (Kuaidi100's states,
 * AfterShip's tags and subtags, 17TRACK's sub-statuses:
 * docs/notes/logistics-research.md §6).
 */
export const SimCodes: Readonly<Record<string, { status: TrackingStatus; exceptionKind?: ExceptionKind }>> = {
  ORDER_RECEIVED: { status: 'info_received' },
  PICKED_UP: { status: 'in_transit' },
  DEPARTED: { status: 'in_transit' },
  ARRIVED: { status: 'in_transit' },
  RESUMED: { status: 'in_transit' },
  OUT_FOR_DELIVERY: { status: 'out_for_delivery' },
  DELIVERY_ATTEMPTED: { status: 'failed_attempt' },
  AT_PICKUP_POINT: { status: 'available_for_pickup' },
  DELIVERED: { status: 'delivered' },
  DELAYED: { status: 'exception', exceptionKind: 'delayed' },
  CUSTOMS_HOLD: { status: 'exception', exceptionKind: 'customs' },
  ADDRESS_PROBLEM: { status: 'exception', exceptionKind: 'address_issue' },
  REFUSED: { status: 'exception', exceptionKind: 'refused' },
  DAMAGED: { status: 'exception', exceptionKind: 'damaged' },
  LOST: { status: 'exception', exceptionKind: 'lost' },
  RETURNING: { status: 'exception', exceptionKind: 'returning_to_sender' },
  RETURNED: { status: 'exception', exceptionKind: 'returned_to_sender' },
  EXPIRED: { status: 'expired' },
};

const Callback = z.object({
  id: z.string().min(1).max(100),
  type: z.literal('tracking.checkpoint'),
  reference: z.string().max(200),
  carrier: z.string().max(20),
  trackingNumber: z.string().max(60),
  checkpoint: z.object({
    code: z.string().min(1).max(60),
    description: z.string().max(1000),
    location: z.string().max(200).nullable(),
    occurredAt: z.iso.datetime(),
  }),
});

export const SIGNATURE_HEADER = 'x-carrier-signature';


export interface SimKeys {
  apiKey: string;
  webhookSecret: string;
}

export class SimTrackingProvider implements TrackingProvider {
  readonly name = 'sim';
  private readonly agent: ReturnType<typeof keepAliveAgent>;
  constructor(
    private readonly baseUrl: string,
    private readonly callbackUrl: string,
    private readonly keys: () => Promise<SimKeys>,
    private readonly timeoutMs: number,
  ) {
    this.agent = keepAliveAgent(baseUrl);
  }

  async subscribe(parcel: { id: string; carrier: CarrierCode; trackingNumber: string }): Promise<void> {
    const { apiKey } = await this.keys();
    let res: HttpAnswer;
    try {
      res = await sendHttp(`${this.baseUrl}/v1/trackings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ carrier: parcel.carrier, trackingNumber: parcel.trackingNumber, callbackUrl: this.callbackUrl, reference: parcel.id }),
        timeoutMs: this.timeoutMs,
        agent: this.agent,
      });
    } catch (err) {
      throw new UnavailableError(`the tracking provider did not answer: ${String(err)}`);
    }
    if (!res.ok) throw new UnavailableError(`the tracking provider answered ${res.status}: ${res.text()}`);
  }

  async verify(rawBody: Buffer, headers: (name: string) => string | undefined, now = Date.now()) {
    return verifyWebhookSignature((await this.keys()).webhookSecret, rawBody, headers(SIGNATURE_HEADER), now);
  }

  checkpoints(body: unknown): ProviderCheckpoint[] {
    const parsed = Callback.safeParse(body);
    if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', code: i.code, message: i.message })));
    const e = parsed.data;
    const mapped = SimCodes[e.checkpoint.code];
    return [
      {
        eventId: e.id,
        reference: e.reference,
        carrier: e.carrier,
        trackingNumber: e.trackingNumber,
        code: e.checkpoint.code,
        status: mapped?.status ?? null,
        exceptionKind: mapped?.exceptionKind ?? null,
        description: e.checkpoint.description,
        location: e.checkpoint.location,
        occurredAt: new Date(e.checkpoint.occurredAt),
        raw: body,
      },
    ];
  }
}
