import { currentTrace, parseTraceparent, runWithTrace, traceHeaders } from './trace-context';

describe('trace context', () => {
  it('when a traceparent is valid, then its trace id is kept and passed on', () => {
    const ctx = parseTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(ctx?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    runWithTrace(ctx, () => {
      expect(currentTrace()?.traceId).toBe(ctx?.traceId);
      expect(traceHeaders()).toEqual({ traceparent: ctx?.traceparent });
    });
    expect(currentTrace()).toBeUndefined();
  });

  it('when a traceparent is malformed or all zero, then it is ignored', () => {
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent('00-00000000000000000000000000000000-b7ad6b7169203331-01')).toBeUndefined();
  });
});
