/**
 * node-postgres asks, as it loads, whether it runs on Cloudflare Workers: with
 * no `navigator` global (Node 20 has none; Node 21 and later do) it builds a
 * fetch `Response` to find out, which loads undici and compiles its
 * WebAssembly parser: about 6 MiB in every process for nothing. Node 21's own
 * `navigator` answers the question at once; this gives Node 20 the same.
 * Imported before 'pg' wherever the kit loads it.
 */
const g = globalThis as { navigator?: unknown };
if (g.navigator === undefined) {
  Object.defineProperty(globalThis, 'navigator', {
    value: Object.freeze({ userAgent: `Node.js/${process.versions.node.split('.')[0]}` }),
    configurable: true,
    enumerable: false,
    writable: true,
  });
}
export {};
