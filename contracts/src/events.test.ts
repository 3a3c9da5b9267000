import { z } from 'zod';
import { defineEvent, defineRegistry, deadLetterTopic } from './index';

describe('event registry', () => {
  it('when a topic is not <entity>.<verb> in lower case, then it is refused', () => {
    expect(() => defineEvent('createOrder', 1, 'x', {})).toThrow();
    expect(() => defineEvent('Order.Paid', 1, 'x', {})).toThrow();
    expect(defineEvent('order.paid', 1, 'x', {}).topic).toBe('order.paid');
  });

  it('when a topic is declared twice, then the registry refuses it', () => {
    const a = defineEvent('order.paid', 1, 'x', {});
    expect(() => defineRegistry(a, a)).toThrow(/twice/);
  });

  it('when an event lacks its version or has unknown fields, then its schema refuses it', () => {
    const spec = defineEvent('order.paid', 2, 'x', { orderId: z.string() });
    const ok = { version: 2, occurredAt: '2026-01-01T00:00:00Z', orderId: 'o1' };
    expect(spec.schema.safeParse(ok).success).toBe(true);
    expect(spec.schema.safeParse({ ...ok, version: 1 }).success).toBe(false);
    expect(spec.schema.safeParse({ ...ok, extra: 1 }).success).toBe(false);
  });

  it('names dead-letter topics after their topic', () => {
    expect(deadLetterTopic('order.paid')).toBe('order.paid.dead-letter');
  });
});
