import type { CarrierCode, ExceptionKind, TrackingStatus } from '@emporium/contracts';

/** One checkpoint as a provider reported it, its code already mapped (status null: a code no mapping knows). */
export interface ProviderCheckpoint {
  /** the provider's id of the push, when it gives one */
  eventId: string | null;
  /** our parcel's id as we gave it at subscription, when the provider echoes it */
  reference: string | null;
  carrier: string;
  trackingNumber: string;
  code: string;
  status: TrackingStatus | null;
  exceptionKind: ExceptionKind | null;
  description: string;
  location: string | null;
  occurredAt: Date;
  raw: unknown;
}

/**
 * A tracking provider (Kuaidi100, AfterShip, 17TRACK, or the carrier
 * simulator) behind one interface: subscribe a parcel, check a callback's
 * signature over its raw bytes, and read its checkpoints with the
 * provider's codes mapped to the normalised statuses, by code only.
 */
export interface TrackingProvider {
  /** its name in the callback path: /webhooks/tracking/<name> */
  readonly name: string;
  subscribe(parcel: { id: string; carrier: CarrierCode; trackingNumber: string }): Promise<void>;
  verify(rawBody: Buffer, headers: (name: string) => string | undefined, now?: number): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** the checkpoints of one callback (a provider may push a parcel's whole history at once); a body it cannot read is thrown as a ValidationError */
  checkpoints(body: unknown): ProviderCheckpoint[];
}
