import { LazyModules, type LoadedModule } from './lazy';

function counted(modules: Record<string, LoadedModule>) {
  const loads: string[] = [];
  const lazy = new LazyModules(Object.fromEntries(Object.entries(modules).map(([name, m]) => [name, () => (loads.push(name), m)])));
  return { lazy, loads };
}

describe('LazyModules (the entry point of @emporium/contracts)', () => {
  it('when a name is read, then only its module is loaded, and only once', () => {
    const { lazy, loads } = counted({ names: { AppIds: { web: 'web' } }, order: { Order: 'order-schema' } });
    const target = {} as Record<string, unknown>;
    lazy.defineExports(target, { AppIds: 'names', Order: 'order' });
    expect(loads).toEqual([]);
    expect(target['AppIds']).toEqual({ web: 'web' });
    expect(target['AppIds']).toBe(target['AppIds']);
    expect(loads).toEqual(['names']);
    expect(Object.keys(target)).toEqual(['AppIds', 'Order']);
  });

  it('when a topic is read, then only its module is loaded, and every topic is still listed', () => {
    const paid = { topic: 'order.paid', version: 1, description: '', schema: {} };
    const created = { topic: 'product.created', version: 1, description: '', schema: {} };
    const { lazy, loads } = counted({ order: { OrderEvents: [paid] }, catalog: { CatalogEvents: { created } } });
    const registry = lazy.registry({ 'order.paid': ['order', 'OrderEvents'], 'product.created': ['catalog', 'CatalogEvents'] });
    expect(Object.keys(registry)).toEqual(['order.paid', 'product.created']);
    expect('order.paid' in registry).toBe(true);
    expect('order.lost' in registry).toBe(false);
    expect(loads).toEqual([]);
    expect(registry['order.paid']).toBe(paid);
    expect(loads).toEqual(['order']);
    expect(registry['order.lost']).toBeUndefined();
    expect({ ...registry }).toEqual({ 'order.paid': paid, 'product.created': created });
    expect(() => {
      (registry as Record<string, unknown>)['order.paid'] = created;
    }).toThrow(TypeError);
  });

  it("when an app's operations are asked for, then only its modules are loaded and only its operations come back", () => {
    const browse = { operationId: 'browse', appId: 'catalog' };
    const offers = { operationId: 'offers', appId: 'catalog' };
    const foreign = { operationId: 'pay', appId: 'payment' };
    const { lazy, loads } = counted({ 'catalog-api': { CatalogOperations: [browse, foreign], CatalogInternal: { offers } }, 'payment-api': { PaymentOperations: [foreign] } });
    const operationsOf = lazy.operationsOf({ catalog: [['catalog-api', 'CatalogInternal'], ['catalog-api', 'CatalogOperations']], payment: [['payment-api', 'PaymentOperations']] });
    expect(operationsOf('catalog')).toEqual([offers, browse]);
    expect(loads).toEqual(['catalog-api']);
    expect(operationsOf('identity')).toEqual([]);
  });
});
