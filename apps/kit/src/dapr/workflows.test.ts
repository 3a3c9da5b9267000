import { UnavailableError } from '../errors';
import { InvocationError } from './sidecar';
import { isAlreadyStarted, isTransient } from './workflows';

describe('isTransient: which failures of a workflow step are tried again before the saga compensates', () => {
  it('when a peer answered 5xx or 429, or its sidecar did not answer, then the step is tried again', () => {
    expect(isTransient(new InvocationError('payment', 500, { errorCode: 'ERR_DIRECT_INVOKE' }))).toBe(true);
    expect(isTransient(new InvocationError('inventory', 503, null))).toBe(true);
    expect(isTransient(new InvocationError('marketing', 429, null))).toBe(true);
    // a write another request made at the same moment: tried again, the peer answers as that one did
    expect(isTransient(new InvocationError('logistics', 409, { code: 'concurrent_write' }))).toBe(true);
    expect(isTransient(new UnavailableError('Dapr sidecar at http://127.0.0.1:3500 did not answer: ECONNREFUSED'))).toBe(true);
  });

  it('when a peer refused (4xx) or answered outside its contract, then the failure is final', () => {
    expect(isTransient(new InvocationError('inventory', 409, { code: 'insufficient_stock' }))).toBe(false);
    expect(isTransient(new InvocationError('payment', 400, null))).toBe(false);
    expect(isTransient(new InvocationError('payment', 404, null))).toBe(false);
    expect(isTransient(new InvocationError('payment', 502, { code: 'contract_violation', detail: 'x' }))).toBe(false);
  });

  it("when a step wraps a peer's answer in its own words, then the peer's answer along the cause chain decides", () => {
    expect(isTransient(new Error('not enough stock for some lines', { cause: new InvocationError('inventory', 409, null) }))).toBe(false);
    expect(isTransient(new Error('could not reserve', { cause: new InvocationError('inventory', 500, null) }))).toBe(true);
  });

  it('when the database went away, refused a connection or hit a deadlock, then the step is tried again; a broken rule of the data is final', () => {
    expect(isTransient(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransient(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isTransient(new Error('a coupon is used or held by another order'))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });

  it("when the sidecar's gRPC API could not be reached or did not answer in time, then it is tried again (503); another gRPC failure is final", () => {
    const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
    expect(isTransient(grpc(14, 'No connection established. Last error: null.'))).toBe(true);
    expect(isTransient(grpc(4, 'Deadline exceeded'))).toBe(true);
    expect(isTransient(grpc(3, 'invalid argument'))).toBe(false);
    // a workflow's state read while it was being saved (seen raising a payment result during a restart)
    expect(isTransient(grpc(2, "workflow 'be67b1ab': inbox key 'inbox-000000' declared in metadata (inboxLength=1) but missing from state store (transient store read failure or partial save?)"))).toBe(true);
    expect(isTransient(grpc(2, 'something else went wrong'))).toBe(false);
    expect(isTransient(Object.assign(new Error('not a gRPC failure'), { code: 14 }))).toBe(false);
  });
});

describe('isAlreadyStarted: a start whose instance runs already', () => {
  it("when the engine answers ALREADY_EXISTS, then the workflow runs already; other failures are not that", () => {
    const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
    expect(isAlreadyStarted(grpc(6, "an active workflow with ID 'x' already exists"))).toBe(true);
    expect(isAlreadyStarted(grpc(14, 'No connection established'))).toBe(false);
    expect(isAlreadyStarted(Object.assign(new Error('not gRPC'), { code: 6 }))).toBe(false);
  });
});
