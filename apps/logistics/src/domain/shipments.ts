import { createHash, randomUUID } from 'node:crypto';
import { Carriers, normaliseTrackingNumber, OrderInternal, type CarrierCode, type CarrierView, type CreateShipmentRequest, type ReturnForShipment, type Shipment, type SubOrderForShipment } from '@emporium/contracts';
import { ConflictError, InvocationError, NotFoundError, RefusedError, requireShopStaff, uuidFromKey, ValidationError, type PeriodicTask, type Principal, type Transaction } from '@emporium/kit';
import type { ParcelRecord, ShipmentRecord } from '../data/logistics-repository';
import type { ProviderCheckpoint } from '../tracking/provider';
import { advance, isFinal } from '../tracking/status';
import type { LogisticsContext } from './logistics-context';

export function carrierList(): { items: CarrierView[] } {
  return { items: Object.values(Carriers).map((c) => ({ code: c.code, name: c.name, pattern: c.pattern.source, example: c.example })) };
}

/** Each number normalised and checked against its carrier's pattern; every bad one named by its field. */
function checkedParcels(parcels: readonly { carrier: CarrierCode; trackingNumber: string }[]): { carrier: CarrierCode; trackingNumber: string }[] {
  const out = parcels.map((p) => ({ carrier: p.carrier, trackingNumber: normaliseTrackingNumber(p.trackingNumber) }));
  const errors = out.flatMap((p, i) =>
    Carriers[p.carrier].pattern.test(p.trackingNumber) ? [] : [{ field: `parcels.${i}.trackingNumber`, code: 'pattern', message: `not a ${Carriers[p.carrier].name.en} tracking number (like ${Carriers[p.carrier].example})` }],
  );
  if (errors.length) throw new ValidationError(errors, 'A tracking number does not fit its carrier');
  if (new Set(out.map((p) => `${p.carrier}:${p.trackingNumber}`)).size !== out.length) throw new ValidationError([{ field: 'parcels', code: 'duplicate', message: 'each parcel once' }]);
  return out;
}

async function subOrderOf(ctx: LogisticsContext, shopId: string, subOrderId: string): Promise<SubOrderForShipment> {
  try {
    const sub = await ctx.sidecar.call(OrderInternal.subOrderForShipment, { params: { subOrderId } });
    if (sub.shopId !== shopId) throw new NotFoundError('no such sub-order of the shop');
    return sub;
  } catch (err) {
    if (err instanceof InvocationError && err.status === 404) throw new NotFoundError('no such sub-order of the shop');
    throw err;
  }
}

/**
 * The shop hands a paid sub-order to carriers: the shipment and its parcels
 * are written with `shipment.created` in one transaction (order moves the
 * sub-order to SHIPPED when it hears of it), then each parcel is subscribed
 * with the tracking provider (tried again by the sweep if that fails). The
 * shipment's id comes from the caller's Idempotency-Key, so a retry finds
 * the same shipment.
 */
export async function createShipment(ctx: LogisticsContext, caller: Principal, shopId: string, key: string, input: CreateShipmentRequest): Promise<Shipment> {
  requireShopStaff(caller, shopId);
  const parcels = checkedParcels(input.parcels);
  const sub = await subOrderOf(ctx, shopId, input.subOrderId);
  return writeShipment(ctx, {
    id: uuidFromKey('shipment', shopId, key),
    purpose: 'outbound',
    reference: sub.subOrderId,
    orderId: sub.orderId,
    subOrderId: sub.subOrderId,
    shopId,
    buyerUserId: sub.buyerUserId,
    createdBy: caller.userId,
    parcels,
    ready: () => (sub.status === 'PAID' ? null : new ConflictError(`a ${sub.status} sub-order cannot be shipped`, { status: sub.status })),
    already: () => new ConflictError('the sub-order is shipped already', { status: 'SHIPPED' }),
  });
}

/**
 * The buyer sends the goods of an approved return back: one parcel, followed
 * like any other; order hears `shipment.created` (purpose return) and the
 * return is on its way, then `shipment.delivered` when it reaches the shop.
 */
export async function createReturnShipment(ctx: LogisticsContext, caller: Principal, orderId: string, returnId: string, key: string, input: { carrier: CarrierCode; trackingNumber: string }): Promise<Shipment> {
  const parcels = checkedParcels([input]);
  let r: ReturnForShipment;
  try {
    r = await ctx.sidecar.call(OrderInternal.returnForShipment, { params: { returnId } });
  } catch (err) {
    if (err instanceof InvocationError && err.status === 404) throw new NotFoundError('no such return');
    throw err;
  }
  if (r.orderId !== orderId || r.buyerUserId !== caller.userId) throw new NotFoundError('no such return');
  return writeShipment(ctx, {
    id: uuidFromKey('return-shipment', caller.userId, key),
    purpose: 'return',
    reference: r.returnId,
    orderId: r.orderId,
    subOrderId: r.subOrderId,
    shopId: r.shopId,
    buyerUserId: r.buyerUserId,
    createdBy: caller.userId,
    parcels,
    ready: () => (r.status === 'approved' ? null : new ConflictError(r.status === 'requested' ? 'the shop has not approved the return yet' : `a return ${r.status.replace(/_/g, ' ')} takes no parcel`, { status: r.status })),
    already: () => new ConflictError('the goods of this return are on their way already', { status: r.status }),
  });
}

/**
 * Writes a shipment and its parcels with `shipment.created` in one
 * transaction (one per purpose and reference: the same key finds the same
 * shipment again), then subscribes the parcels with the tracking provider
 * (tried again by the sweep if that fails).
 */
async function writeShipment(
  ctx: LogisticsContext,
  s: Omit<ShipmentRecord, 'createdAt' | 'deliveredAt'> & { createdBy: string; parcels: { carrier: CarrierCode; trackingNumber: string }[]; ready: () => Error | null; already: () => Error },
): Promise<Shipment> {
  const { ready, already, ...shipment } = s;
  const created = await ctx.db.transaction(async (t) => {
    const existing = await ctx.repo.shipmentByReference(s.purpose, s.reference, t);
    if (existing) {
      if (existing.id === s.id) return existing;
      throw already();
    }
    const refused = ready();
    if (refused) throw refused;
    const withIds = s.parcels.map((p) => ({ ...p, id: randomUUID(), provider: ctx.provider.name }));
    const written = await ctx.repo.insertShipment({ ...shipment, parcels: withIds }, t);
    if (!written.ok) {
      const i = s.parcels.findIndex((p) => p.trackingNumber === written.trackingNumber);
      throw new RefusedError('tracking_number_in_use', s.purpose === 'return' ? 'trackingNumber' : `parcels.${i}.trackingNumber`, `${written.trackingNumber} is being followed for another parcel on its way`);
    }
    const record = (await ctx.repo.shipment(s.id, t))!;
    await ctx.events.stage(t, 'shipment.created', { ...shipmentRef(record), parcels: withIds.map((p) => ({ parcelId: p.id, carrier: p.carrier, trackingNumber: p.trackingNumber })) });
    t.afterCommit(() => void subscribeDue(ctx).catch((err: unknown) => ctx.logger.warn({ err }, 'subscribing parcels failed; the sweep tries again')));
    return record;
  });
  return (await ctx.db.snapshot((t) => ctx.repo.views([created], t)))[0]!;
}

export async function shopShipments(ctx: LogisticsContext, caller: Principal, shopId: string, q: { subOrderId?: string; stale?: boolean }): Promise<{ items: Shipment[] }> {
  requireShopStaff(caller, shopId);
  return { items: await ctx.db.snapshot(async (t) => ctx.repo.views(await ctx.repo.shipmentsOfShop(shopId, q, t), t)) };
}

export async function shopShipment(ctx: LogisticsContext, caller: Principal, shopId: string, shipmentId: string): Promise<Shipment> {
  requireShopStaff(caller, shopId);
  return ctx.db.snapshot(async (t) => {
    const s = await ctx.repo.shipment(shipmentId, t);
    if (s?.shopId !== shopId) throw new NotFoundError('no such shipment');
    return (await ctx.repo.views([s], t))[0]!;
  });
}

/** The buyer's order's shipments; an order that is not the caller's is not found (404, as order answers), shipped or not. */
export async function orderShipments(ctx: LogisticsContext, caller: Principal, orderId: string): Promise<{ items: Shipment[] }> {
  const found = await ctx.db.snapshot(async (t) => {
    const all = await ctx.repo.shipmentsOfOrder(orderId, t);
    if (all.some((s) => s.buyerUserId !== caller.userId)) throw new NotFoundError('no such order');
    return { all, items: await ctx.repo.views(all, t) };
  });
  if (found.all.length === 0) {
    // nothing shipped yet: whose the order is, order knows
    const owner = await ctx.sidecar.call(OrderInternal.orderBuyer, { params: { orderId } }).catch((err: unknown) => {
      if (err instanceof InvocationError && err.status === 404) return null;
      throw err;
    });
    if (owner?.buyerUserId !== caller.userId) throw new NotFoundError('no such order');
  }
  return { items: found.items };
}

/** What names a checkpoint once per parcel: the provider's id when it gives one, else the code and the scan time (a full re-push repeats both). */
const dedupeKey = (c: ProviderCheckpoint) => createHash('sha256').update(`${c.code}|${c.occurredAt.toISOString()}`).digest('base64url');

/**
 * A provider's checkpoints, each applied once (a repeated checkpoint is kept
 * neither twice nor applied twice), the parcel's status moving forward only
 * (tracking/status.ts). Every checkpoint is kept with its raw body, applied
 * or not. Answers what happened to each, for the log.
 */
export async function applyCheckpoints(ctx: LogisticsContext, checkpoints: readonly ProviderCheckpoint[]): Promise<string[]> {
  const outcomes: string[] = [];
  for (const c of checkpoints) {
    outcomes.push(
      await ctx.db.transaction(async (t) => {
        const parcel = c.reference && /^[0-9a-f-]{36}$/.test(c.reference) ? await ctx.repo.parcel(c.reference, t, true) : await ctx.repo.parcelByNumber(c.carrier, normaliseTrackingNumber(c.trackingNumber), t);
        if (!parcel || parcel.trackingNumber !== normaliseTrackingNumber(c.trackingNumber)) return 'unknown parcel';
        const state = { status: parcel.status, exceptionKind: parcel.exceptionKind, rank: parcel.rank, statusAt: parcel.statusAt };
        const next = c.status ? advance(state, { status: c.status, exceptionKind: c.exceptionKind, occurredAt: c.occurredAt }) : null;
        const fresh = await ctx.repo.insertEvent(
          { parcelId: parcel.id, dedupeKey: dedupeKey(c), providerEvent: c.eventId, code: c.code, status: c.status, exceptionKind: c.exceptionKind, description: c.description, location: c.location, occurredAt: c.occurredAt, applied: next !== null, raw: c.raw },
          t,
        );
        if (!fresh) return 'duplicate';
        await ctx.repo.heardOf(parcel.id, c.occurredAt, t);
        if (!c.status) {
          ctx.logger.warn({ parcelId: parcel.id, code: c.code }, 'a checkpoint with a code no mapping knows: kept, not applied');
          return 'unmapped';
        }
        if (!next) return 'history';
        await moveParcel(ctx, parcel, next, t);
        return next.exceptionKind ? `${next.status}/${next.exceptionKind}` : next.status;
      }),
    );
  }
  return outcomes;
}

async function moveParcel(ctx: LogisticsContext, parcel: ParcelRecord, next: ReturnType<typeof advance> & object, t: Transaction): Promise<void> {
  const failedAttempts = parcel.failedAttempts + (next.status === 'failed_attempt' ? 1 : 0);
  const deliveredAt = next.status === 'delivered' ? next.statusAt : parcel.deliveredAt;
  await ctx.repo.setParcelState(parcel.id, { ...next, final: isFinal(next), deliveredAt, failedAttempts }, t);
  const shipment = (await ctx.repo.shipment(parcel.shipmentId, t))!;
  await ctx.events.stage(t, 'parcel.status-changed', {
    ...refOf(shipment, parcel),
    status: next.status,
    exceptionKind: next.exceptionKind,
    previous: parcel.status,
    at: next.statusAt!.toISOString(),
    attempts: failedAttempts,
  });
  if (next.status !== 'delivered' || shipment.deliveredAt) return;
  // the shipment is delivered with its last parcel. Two parcels delivered at
  // once each hold only their own row: without the shipment's lock each would
  // read the other as not yet delivered and neither would deliver the
  // shipment. The lock makes the second wait, then read the first's commit.
  if ((await ctx.repo.shipment(shipment.id, t, true))!.deliveredAt) return;
  const all = await ctx.repo.parcels([shipment.id], t);
  if (!all.every((p) => p.status === 'delivered')) return;
  const at = new Date(Math.max(...all.map((p) => p.deliveredAt!.getTime())));
  if (await ctx.repo.markShipmentDelivered(shipment.id, at, t)) await ctx.events.stage(t, 'shipment.delivered', { ...shipmentRef(shipment), deliveredAt: at.toISOString() });
}

const shipmentRef = (s: ShipmentRecord) => ({ shipmentId: s.id, purpose: s.purpose, orderId: s.orderId, subOrderId: s.subOrderId, shopId: s.shopId, buyerUserId: s.buyerUserId, ...(s.purpose === 'return' ? { returnId: s.reference } : {}) });
const refOf = (s: ShipmentRecord, p: ParcelRecord) => ({ ...shipmentRef(s), parcelId: p.id, carrier: p.carrier, trackingNumber: p.trackingNumber });

/** Subscribes the parcels due with the tracking provider, each under a lease; a failure is tried again with back-off. */
export async function subscribeDue(ctx: LogisticsContext, batch = 20): Promise<number> {
  let done = 0;
  for (;;) {
    const due = await ctx.repo.takeDueSubscriptions(batch, 60);
    if (!due.length) return done;
    for (const p of due) {
      try {
        await ctx.provider.subscribe(p);
        await ctx.repo.subscribed(p.id);
        done++;
      } catch (err) {
        ctx.logger.warn({ err, parcelId: p.id, attempts: p.subscribeAttempts }, 'a parcel could not be subscribed for tracking; tried again later');
        await ctx.repo.subscribeFailed(p.id, p.subscribeAttempts, err instanceof Error ? err.message : String(err));
      }
    }
    if (due.length < batch) return done;
  }
}

/**
 * Parcels with no news: stale after `staleSeconds` (the shop is told once;
 * the next checkpoint clears it), expired after `expireSeconds` (tracking
 * gives up; a later checkpoint revives the parcel).
 */
export async function sweepQuiet(ctx: LogisticsContext, staleSeconds: number, expireSeconds: number, limit = 100): Promise<{ stale: number; expired: number }> {
  const stale = await ctx.db.transaction(async (t) => {
    const rows = await ctx.repo.markStale(staleSeconds, limit, t);
    for (const p of rows) {
      const s = (await ctx.repo.shipment(p.shipmentId, t))!;
      await ctx.events.stage(t, 'parcel.stale', { ...refOf(s, p), status: p.status, since: p.since.toISOString() });
    }
    return rows.length;
  });
  const expired = await ctx.db.transaction(async (t) => {
    const rows = await ctx.repo.dueToExpire(expireSeconds, limit, t);
    const now = new Date();
    for (const p of rows) {
      const next = advance({ status: p.status, exceptionKind: p.exceptionKind, rank: p.rank, statusAt: p.statusAt }, { status: 'expired', exceptionKind: null, occurredAt: now });
      await ctx.repo.insertEvent({ parcelId: p.id, dedupeKey: `expired:${now.toISOString()}`, providerEvent: null, code: 'EXPIRED', status: 'expired', exceptionKind: null, description: 'No news from the carrier for too long: tracking has expired', location: null, occurredAt: now, applied: next !== null, raw: { by: 'logistics', afterSeconds: expireSeconds } }, t);
      if (next) await moveParcel(ctx, p, next, t);
    }
    return rows.length;
  });
  return { stale, expired };
}

export function logisticsTasks(ctx: LogisticsContext, opts: { everyMs: number; staleSeconds: number; expireSeconds: number }): PeriodicTask[] {
  return [
    { name: 'logistics-subscribe', everyMs: opts.everyMs, run: () => subscribeDue(ctx) },
    {
      name: 'logistics-quiet-parcels',
      everyMs: opts.everyMs,
      run: async () => {
        const n = await sweepQuiet(ctx, opts.staleSeconds, opts.expireSeconds);
        if (n.stale || n.expired) ctx.logger.info(n, 'quiet parcels');
      },
    },
  ];
}
