import type { CarrierCode, ExceptionKind, Parcel, Shipment, ShipmentPurpose, TrackingEvent, TrackingStatus } from '@emporium/contracts';
import type { Database, Transaction } from '@emporium/kit';

export interface ShipmentRecord {
  id: string;
  purpose: ShipmentPurpose;
  reference: string;
  orderId: string;
  subOrderId: string;
  shopId: string;
  buyerUserId: string;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface ParcelRecord {
  id: string;
  shipmentId: string;
  position: number;
  carrier: CarrierCode;
  trackingNumber: string;
  provider: string;
  status: TrackingStatus;
  exceptionKind: ExceptionKind | null;
  rank: number;
  statusAt: Date | null;
  lastEventAt: Date | null;
  staleSince: Date | null;
  deliveredAt: Date | null;
  final: boolean;
  failedAttempts: number;
  subscribedAt: Date | null;
  subscribeAttempts: number;
  createdAt: Date;
}

interface EventRecord {
  parcelId: string;
  code: string;
  status: TrackingStatus | null;
  exceptionKind: ExceptionKind | null;
  description: string;
  location: string | null;
  occurredAt: Date;
  receivedAt: Date;
  applied: boolean;
}

export interface NewEvent {
  parcelId: string;
  dedupeKey: string;
  providerEvent: string | null;
  code: string;
  status: TrackingStatus | null;
  exceptionKind: ExceptionKind | null;
  description: string;
  location: string | null;
  occurredAt: Date;
  applied: boolean;
  raw: unknown;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * logistics's tables (its own schema; no other service reads them). Every
 * SQL string of the service is here; records come back camelCase.
 */
export class LogisticsRepository {
  constructor(private readonly db: Database) {}

  async shipmentByReference(purpose: ShipmentPurpose, reference: string, t?: Transaction): Promise<ShipmentRecord | undefined> {
    const [row] = await this.db.select<ShipmentRecord>('SELECT * FROM shipments WHERE purpose = :purpose AND reference = :reference', { purpose, reference }, t);
    return row;
  }

  /**
   * With `lock`, the row is held until the transaction ends, so whoever
   * decides the shipment is delivered goes one at a time. NO KEY UPDATE, not
   * UPDATE: a parcel updated twice in one transaction has its foreign key
   * checked again, which takes KEY SHARE on this row, and FOR UPDATE waiting
   * on each other's KEY SHARE was a deadlock.
   */
  async shipment(id: string, t?: Transaction, lock = false): Promise<ShipmentRecord | undefined> {
    const [row] = await this.db.select<ShipmentRecord>(`SELECT * FROM shipments WHERE id = :id${lock ? ' FOR NO KEY UPDATE' : ''}`, { id }, t);
    return row;
  }

  /** Writes a shipment and its parcels; false when one of the tracking numbers is on its way in another parcel. */
  async insertShipment(s: Omit<ShipmentRecord, 'createdAt' | 'deliveredAt'> & { createdBy: string; parcels: { id: string; carrier: CarrierCode; trackingNumber: string; provider: string }[] }, t: Transaction): Promise<{ ok: true } | { ok: false; trackingNumber: string }> {
    for (const p of s.parcels) {
      const [busy] = await this.db.select<{ id: string }>('SELECT id FROM parcels WHERE carrier = :carrier AND tracking_number = :trackingNumber AND NOT final', p, t);
      if (busy) return { ok: false, trackingNumber: p.trackingNumber };
    }
    await this.db.run(
      `INSERT INTO shipments (id, purpose, reference, order_id, sub_order_id, shop_id, buyer_user_id, created_by)
       VALUES (:id, :purpose, :reference, :orderId, :subOrderId, :shopId, :buyerUserId, :createdBy)`,
      s,
      t,
    );
    for (const [position, p] of s.parcels.entries()) {
      await this.db.run('INSERT INTO parcels (id, shipment_id, position, carrier, tracking_number, provider) VALUES (:id, :shipmentId, :position, :carrier, :trackingNumber, :provider)', { ...p, shipmentId: s.id, position }, t);
    }
    return { ok: true };
  }

  async parcels(shipmentIds: readonly string[], t?: Transaction): Promise<ParcelRecord[]> {
    if (!shipmentIds.length) return [];
    return this.db.select<ParcelRecord>('SELECT * FROM parcels WHERE shipment_id IN (:ids) ORDER BY shipment_id, position', { ids: shipmentIds }, t);
  }

  async parcel(id: string, t: Transaction, lock = false): Promise<ParcelRecord | undefined> {
    const [row] = await this.db.select<ParcelRecord>(`SELECT * FROM parcels WHERE id = :id${lock ? ' FOR UPDATE' : ''}`, { id }, t);
    return row;
  }

  /** The parcel on its way with this carrier's number, for providers that do not echo our reference. */
  async parcelByNumber(carrier: string, trackingNumber: string, t: Transaction): Promise<ParcelRecord | undefined> {
    const [row] = await this.db.select<ParcelRecord>('SELECT * FROM parcels WHERE carrier = :carrier AND tracking_number = :trackingNumber ORDER BY final, created_at DESC LIMIT 1 FOR UPDATE', { carrier, trackingNumber }, t);
    return row;
  }

  /** Keeps a checkpoint once per parcel; false when it was there already. */
  async insertEvent(e: NewEvent, t: Transaction): Promise<boolean> {
    const n = await this.db.run(
      `INSERT INTO tracking_events (parcel_id, dedupe_key, provider_event, code, status, exception_kind, description, location, occurred_at, applied, raw)
       VALUES (:parcelId, :dedupeKey, :providerEvent, :code, :status, :exceptionKind, :description, :location, :occurredAt, :applied, :raw::jsonb)
       ON CONFLICT (parcel_id, dedupe_key) DO NOTHING`,
      { ...e, raw: JSON.stringify(e.raw) },
      t,
    );
    return n > 0;
  }

  async setParcelState(
    id: string,
    s: { status: TrackingStatus; exceptionKind: ExceptionKind | null; rank: number; statusAt: Date | null; final: boolean; deliveredAt: Date | null; failedAttempts: number },
    t: Transaction,
  ): Promise<void> {
    await this.db.run(
      `UPDATE parcels SET status = :status, exception_kind = :exceptionKind, rank = :rank, status_at = :statusAt, final = :final, delivered_at = :deliveredAt, failed_attempts = :failedAttempts WHERE id = :id`,
      { id, ...s },
      t,
    );
  }

  /** Any word from the carrier: the parcel is not stale any more. */
  async heardOf(id: string, occurredAt: Date, t: Transaction): Promise<void> {
    await this.db.run('UPDATE parcels SET last_event_at = greatest(last_event_at, :occurredAt), stale_since = NULL WHERE id = :id', { id, occurredAt }, t);
  }

  async markShipmentDelivered(id: string, at: Date, t: Transaction): Promise<boolean> {
    return (await this.db.run('UPDATE shipments SET delivered_at = :at WHERE id = :id AND delivered_at IS NULL', { id, at }, t)) > 0;
  }

  /** Parcels whose subscription is due, each leased for `leaseSeconds` (a crash mid-call lets the next sweep take it again). */
  async takeDueSubscriptions(limit: number, leaseSeconds: number): Promise<ParcelRecord[]> {
    return this.db.select<ParcelRecord>(
      `UPDATE parcels SET subscribe_attempts = subscribe_attempts + 1, subscribe_due_at = clock_timestamp() + make_interval(secs => :lease)
       WHERE id IN (SELECT id FROM parcels WHERE subscribed_at IS NULL AND subscribe_due_at <= clock_timestamp() ORDER BY subscribe_due_at LIMIT :limit FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      { limit, lease: leaseSeconds },
    );
  }

  async subscribed(id: string): Promise<void> {
    await this.db.run('UPDATE parcels SET subscribed_at = clock_timestamp(), subscribe_error = NULL WHERE id = :id', { id });
  }

  /** A failed subscription is tried again after a back-off that doubles, up to an hour. */
  async subscribeFailed(id: string, attempts: number, error: string): Promise<void> {
    const wait = Math.min(3600, 2 ** Math.min(attempts, 12));
    await this.db.run('UPDATE parcels SET subscribe_error = :error, subscribe_due_at = clock_timestamp() + make_interval(secs => :wait) WHERE id = :id', { id, wait, error: error.slice(0, 500) });
  }

  /** Parcels on their way with no word from their carrier since `olderThan` seconds (or since they were handed over), each marked stale once. */
  async markStale(olderThanSeconds: number, limit: number, t: Transaction): Promise<(ParcelRecord & { since: Date })[]> {
    return this.db.select<ParcelRecord & { since: Date }>(
      `UPDATE parcels p SET stale_since = clock_timestamp()
       FROM (SELECT id FROM parcels WHERE NOT final AND stale_since IS NULL AND status <> 'expired' AND coalesce(last_event_at, created_at) < clock_timestamp() - make_interval(secs => :secs)
             ORDER BY coalesce(last_event_at, created_at) LIMIT :limit FOR UPDATE SKIP LOCKED) due
       WHERE p.id = due.id
       RETURNING p.*, coalesce(p.last_event_at, p.created_at) AS since`,
      { secs: olderThanSeconds, limit },
      t,
    );
  }

  /** Parcels with no word for `olderThan` seconds: their tracking has expired. */
  async dueToExpire(olderThanSeconds: number, limit: number, t: Transaction): Promise<ParcelRecord[]> {
    return this.db.select<ParcelRecord>(
      `SELECT * FROM parcels WHERE NOT final AND status <> 'expired' AND coalesce(last_event_at, created_at) < clock_timestamp() - make_interval(secs => :secs)
       ORDER BY coalesce(last_event_at, created_at) LIMIT :limit FOR UPDATE SKIP LOCKED`,
      { secs: olderThanSeconds, limit },
      t,
    );
  }

  async shipmentsOfShop(shopId: string, q: { subOrderId?: string; stale?: boolean }, t?: Transaction): Promise<ShipmentRecord[]> {
    return this.db.select<ShipmentRecord>(
      `SELECT s.* FROM shipments s WHERE s.shop_id = :shopId
         ${q.subOrderId ? 'AND s.sub_order_id = :subOrderId' : ''}
         ${q.stale === undefined ? '' : `AND ${q.stale ? '' : 'NOT '}EXISTS (SELECT 1 FROM parcels p WHERE p.shipment_id = s.id AND p.stale_since IS NOT NULL)`}
       ORDER BY s.created_at DESC, s.id DESC LIMIT 100`,
      { shopId, subOrderId: q.subOrderId ?? null },
      t,
    );
  }

  async shipmentsOfOrder(orderId: string, t?: Transaction): Promise<ShipmentRecord[]> {
    return this.db.select<ShipmentRecord>('SELECT * FROM shipments WHERE order_id = :orderId ORDER BY created_at, id', { orderId }, t);
  }

  /** Shipments as the API shows them, parcels and checkpoints with them, read in the caller's transaction (one snapshot). */
  async views(shipments: readonly ShipmentRecord[], t?: Transaction): Promise<Shipment[]> {
    const parcels = await this.parcels(
      shipments.map((s) => s.id),
      t,
    );
    const events = parcels.length
      ? await this.db.select<EventRecord>(
          'SELECT parcel_id, code, status, exception_kind, description, location, occurred_at, received_at, applied FROM tracking_events WHERE parcel_id IN (:ids) ORDER BY occurred_at, id',
          { ids: parcels.map((p) => p.id) },
          t,
        )
      : [];
    const eventView = (e: EventRecord): TrackingEvent => ({
      code: e.code,
      status: e.status,
      exceptionKind: e.exceptionKind,
      description: e.description,
      location: e.location,
      occurredAt: e.occurredAt.toISOString(),
      receivedAt: e.receivedAt.toISOString(),
      applied: e.applied,
    });
    const parcelView = (p: ParcelRecord): Parcel => ({
      id: p.id,
      carrier: p.carrier,
      trackingNumber: p.trackingNumber,
      status: p.status,
      exceptionKind: p.exceptionKind,
      lastEventAt: iso(p.lastEventAt),
      staleSince: iso(p.staleSince),
      deliveredAt: iso(p.deliveredAt),
      events: events.filter((e) => e.parcelId === p.id).map(eventView),
    });
    return shipments.map((s) => ({
      id: s.id,
      purpose: s.purpose,
      orderId: s.orderId,
      subOrderId: s.subOrderId,
      shopId: s.shopId,
      parcels: parcels.filter((p) => p.shipmentId === s.id).map(parcelView),
      returnId: s.purpose === 'return' ? s.reference : null,
      createdAt: s.createdAt.toISOString(),
      deliveredAt: iso(s.deliveredAt),
    }));
  }
}
