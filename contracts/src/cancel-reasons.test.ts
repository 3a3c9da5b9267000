import { CancelReason, CancelReasons, cancelReasonText } from './cancel-reasons';

describe('cancellation reasons', () => {
  it('when a service ends an order with one of the platform\'s reasons, then the buyer reads it in both languages', () => {
    for (const reason of Object.values(CancelReason)) {
      const text = cancelReasonText(reason);
      expect(typeof text).toBe('object');
      expect(text).toEqual(CancelReasons[reason]);
    }
  });

  it('when a reason is not the platform\'s, or names a property of every object, then it is shown as given', () => {
    expect(cancelReasonText('insufficient_funds')).toBe('insufficient_funds');
    expect(cancelReasonText('constructor')).toBe('constructor');
    expect(cancelReasonText('__proto__')).toBe('__proto__');
  });
});
