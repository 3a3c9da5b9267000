import type { ExceptionKind, TrackingStatus } from '@emporium/contracts';

/**
 * How a parcel's status moves (docs/decisions/0021-logistics.md): forward
 * only, judged by rank and the carrier's scan time, never by the order
 * checkpoints arrive in.
 *
 *   pending 0 < info_received 10 < in_transit 20 < last mile 30
 *   (out_for_delivery, failed_attempt, available_for_pickup) < delivered 40
 *
 * - A higher rank than any reached moves the parcel; the same rank moves it
 *   only with a later scan (the last mile alternates: a failed attempt, out
 *   for delivery again). A lower rank is history only.
 * - Delivered wins: once delivered, nothing but a return to the sender
 *   moves it (returns reuse the waybill), whatever the times say.
 * - An exception is an overlay: entered from any state not at its end by a
 *   scan no older than the current one, left for a ranked status no lower
 *   than the highest reached, with a later scan. Returned to sender, lost
 *   and cancelled end the journey.
 * - Expired (no news for too long, or the provider gave up) ends nothing:
 *   the next checkpoint revives the parcel.
 */
export const Rank: Readonly<Record<Exclude<TrackingStatus, 'exception' | 'expired'>, number>> = {
  pending: 0,
  info_received: 10,
  in_transit: 20,
  out_for_delivery: 30,
  failed_attempt: 30,
  available_for_pickup: 30,
  delivered: 40,
};

export const TerminalExceptions: readonly ExceptionKind[] = ['returned_to_sender', 'lost', 'cancelled'];
const ReturnKinds: readonly ExceptionKind[] = ['returning_to_sender', 'returned_to_sender'];

export interface ParcelState {
  status: TrackingStatus;
  exceptionKind: ExceptionKind | null;
  /** the highest rank reached so far */
  rank: number;
  /** the carrier's scan time of the checkpoint that set the status (null: nothing yet) */
  statusAt: Date | null;
}

export interface Checkpoint {
  status: TrackingStatus;
  exceptionKind: ExceptionKind | null;
  occurredAt: Date;
}

export const isFinal = (s: Pick<ParcelState, 'status' | 'exceptionKind'>): boolean => s.status === 'delivered' || (s.status === 'exception' && s.exceptionKind !== null && TerminalExceptions.includes(s.exceptionKind));

const later = (a: Date, b: Date | null) => b === null || a.getTime() > b.getTime();
const notOlder = (a: Date, b: Date | null) => b === null || a.getTime() >= b.getTime();

/** The parcel's state after a checkpoint, or null when the checkpoint is history only. */
export function advance(state: ParcelState, c: Checkpoint): ParcelState | null {
  const next = (status: TrackingStatus, exceptionKind: ExceptionKind | null, rank = state.rank): ParcelState => ({ status, exceptionKind, rank, statusAt: c.occurredAt });
  if (c.status === state.status && c.exceptionKind === state.exceptionKind) return null;
  if (state.status === 'delivered') {
    // only a return moves a delivered parcel: the same waybill going back
    return c.status === 'exception' && c.exceptionKind !== null && ReturnKinds.includes(c.exceptionKind) ? next('exception', c.exceptionKind) : null;
  }
  if (isFinal(state)) {
    // returning → returned is the one move left at the end of the road
    return state.exceptionKind === 'returning_to_sender' && c.exceptionKind === 'returned_to_sender' ? next('exception', c.exceptionKind) : null;
  }
  if (c.status === 'delivered') return next('delivered', null, Rank.delivered);
  if (c.status === 'exception') {
    const kind = c.exceptionKind ?? 'other';
    // the end of the road (returned, lost, cancelled) and a return applies whenever it comes
    if (TerminalExceptions.includes(kind)) return next('exception', kind);
    if (state.exceptionKind === 'returning_to_sender') return null;
    if (kind === 'returning_to_sender') return next('exception', kind);
    // any other exception needs a scan no older than the one that set the status now
    return notOlder(c.occurredAt, state.statusAt) ? next('exception', kind) : null;
  }
  if (c.status === 'expired') return next('expired', null);
  // a ranked checkpoint; on its way back, the forward scans are the return's own
  if (state.exceptionKind === 'returning_to_sender') return null;
  const rank = Rank[c.status];
  // out of an exception or expiry: a later scan, no lower than the highest rank reached
  if (state.status === 'exception' || state.status === 'expired') return rank >= state.rank && later(c.occurredAt, state.statusAt) ? next(c.status, null, rank) : null;
  if (rank > state.rank) return next(c.status, null, rank);
  // the last mile alternates (failed attempt, out for delivery again, a pickup point): the later scan wins
  if (rank === state.rank && later(c.occurredAt, state.statusAt)) return next(c.status, null, rank);
  return null;
}
