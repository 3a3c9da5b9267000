import { daprErrorCode } from './gateway';

describe('the gateway tells the sidecar own errors from the service answers', () => {
  it('when the body is a Dapr error, then its code is read; a problem, other JSON or text is not one', () => {
    expect(daprErrorCode('{"errorCode":"ERR_DIRECT_INVOKE","message":"failed to invoke, id: order, err: connection refused"}')).toBe('ERR_DIRECT_INVOKE');
    expect(daprErrorCode('{"type":"https://emporium.dev/problems/internal","status":500,"code":"internal"}')).toBeNull();
    expect(daprErrorCode('{"errorCode":"not a dapr code"}')).toBeNull();
    expect(daprErrorCode('Internal Server Error')).toBeNull();
    expect(daprErrorCode('')).toBeNull();
  });
});
