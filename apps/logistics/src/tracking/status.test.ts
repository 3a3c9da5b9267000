import type { ExceptionKind, TrackingStatus } from '@emporium/contracts';
import { advance, isFinal, type ParcelState } from './status';

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 8, minutes));
const start: ParcelState = { status: 'pending', exceptionKind: null, rank: 0, statusAt: null };

/** Feeds checkpoints in arrival order; answers each state after it and which were applied. */
function run(checkpoints: [TrackingStatus, number, ExceptionKind?][], from = start) {
  let state = from;
  const applied: boolean[] = [];
  for (const [status, minute, kind] of checkpoints) {
    const next = advance(state, { status, exceptionKind: kind ?? null, occurredAt: at(minute) });
    applied.push(next !== null);
    if (next) state = next;
  }
  return { state, applied };
}

describe('a parcel status moves forward only', () => {
  it('when checkpoints come in order, then each moves the parcel to its status', () => {
    const { state, applied } = run([['info_received', 0], ['in_transit', 1], ['out_for_delivery', 5], ['delivered', 6]]);
    expect(applied).toEqual([true, true, true, true]);
    expect(state).toMatchObject({ status: 'delivered', rank: 40, statusAt: at(6) });
    expect(isFinal(state)).toBe(true);
  });

  it('when the delivery scan arrives before the out-for-delivery scan it follows, then delivered stays (delivered wins)', () => {
    const { state, applied } = run([['in_transit', 1], ['delivered', 6], ['out_for_delivery', 5]]);
    expect(applied).toEqual([true, true, false]);
    expect(state.status).toBe('delivered');
  });

  it('when a later scan of a lower rank arrives, then it is history only', () => {
    const { state, applied } = run([['out_for_delivery', 5], ['in_transit', 7]]);
    expect(applied).toEqual([true, false]);
    expect(state.status).toBe('out_for_delivery');
  });

  it('when the last mile alternates, then the later scan wins and an older one does not', () => {
    const { state, applied } = run([['out_for_delivery', 5], ['failed_attempt', 6], ['out_for_delivery', 8], ['failed_attempt', 7], ['available_for_pickup', 9]]);
    expect(applied).toEqual([true, true, true, false, true]);
    expect(state.status).toBe('available_for_pickup');
  });

  it('when the same status comes again, then nothing moves', () => {
    expect(run([['in_transit', 1], ['in_transit', 2]]).applied).toEqual([true, false]);
  });

  it('when an exception is resolved, then a later ranked scan leaves it, but not one below the highest rank reached', () => {
    const { state, applied } = run([['in_transit', 1], ['exception', 2, 'delayed'], ['info_received', 3], ['in_transit', 4]]);
    expect(applied).toEqual([true, true, false, true]);
    expect(state).toMatchObject({ status: 'in_transit', exceptionKind: null });
  });

  it('when an exception is older than the status now, then it is history only; a lost parcel is lost whenever it is said', () => {
    expect(run([['out_for_delivery', 5], ['exception', 4, 'delayed']]).applied).toEqual([true, false]);
    const lost = run([['out_for_delivery', 5], ['exception', 4, 'lost'], ['delivered', 9]]);
    expect(lost.applied).toEqual([true, true, false]);
    expect(isFinal(lost.state)).toBe(true);
  });

  it('when a refused parcel goes back, then returning moves to returned and the forward scans of the way back move nothing', () => {
    const { state, applied } = run([['out_for_delivery', 5], ['exception', 6, 'refused'], ['exception', 7, 'returning_to_sender'], ['in_transit', 8], ['delivered', 9], ['exception', 10, 'returned_to_sender'], ['in_transit', 11]]);
    expect(applied).toEqual([true, true, true, false, true, true, false]);
    expect(state).toMatchObject({ status: 'exception', exceptionKind: 'returned_to_sender' });
    expect(isFinal(state)).toBe(true);
  });

  it('when a delivered parcel is sent back on the same waybill, then only a return code moves it', () => {
    const delivered = run([['delivered', 6]]).state;
    expect(advance(delivered, { status: 'exception', exceptionKind: 'delayed', occurredAt: at(9) })).toBeNull();
    expect(advance(delivered, { status: 'expired', exceptionKind: null, occurredAt: at(9) })).toBeNull();
    expect(advance(delivered, { status: 'exception', exceptionKind: 'returning_to_sender', occurredAt: at(9) })).toMatchObject({ status: 'exception', exceptionKind: 'returning_to_sender' });
  });

  it('when an expired parcel hears from its carrier again, then a later scan revives it', () => {
    const { state, applied } = run([['in_transit', 1], ['expired', 30], ['in_transit', 20], ['out_for_delivery', 31]]);
    expect(applied).toEqual([true, true, false, true]);
    expect(state.status).toBe('out_for_delivery');
  });
});
