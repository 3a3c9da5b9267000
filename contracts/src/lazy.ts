import type { EventRegistry, EventSpec } from './events';
import type { AppId } from './names';
import type { ApiOperation } from './operation';

/** What `require` gives for one of the package's modules. */
export type LoadedModule = Readonly<Record<string, unknown>>;
export type ModuleLoaders = Readonly<Record<string, () => LoadedModule>>;
/** Where a value lives: a module and one of its exports. */
export type Place = readonly [module: string, exportName: string];

/**
 * The machinery of the package's lazy entry point (`lazy-index.ts`, generated
 * by `npm run contracts:generate`; see there). Imports nothing but types, so
 * loading it loads no schema.
 */
export class LazyModules {
  private readonly loaded = new Map<string, LoadedModule>();

  constructor(private readonly loaders: ModuleLoaders) {}

  load(module: string): LoadedModule {
    let m = this.loaded.get(module);
    if (!m) {
      const loader = this.loaders[module];
      if (!loader) throw new Error(`@emporium/contracts has no module ${module}`);
      m = loader();
      this.loaded.set(module, m);
    }
    return m;
  }

  /** The items an export holds: an array's, or a plain object's values (`CatalogEvents`, `CatalogInternal`). */
  private itemsAt<T>([module, exportName]: Place): T[] {
    const holder = this.load(module)[exportName];
    return Array.isArray(holder) ? (holder as T[]) : Object.values(holder as Record<string, T>);
  }

  /** Defines each name on `target` as a getter that loads its module on first read (as `export *` would, but lazily). */
  defineExports(target: object, names: Readonly<Record<string, string>>): void {
    for (const [name, module] of Object.entries(names)) {
      Object.defineProperty(target, name, { enumerable: true, get: () => this.load(module)[name] });
    }
  }

  /**
   * An event registry that loads a topic's module when the topic is first
   * read: the same specs as `PlatformEvents`, keyed the same way, and every
   * topic listed (keys, `in`, spread), but a service that publishes and
   * subscribes to a few topics loads only their modules.
   */
  registry(topics: Readonly<Record<string, Place>>): EventRegistry {
    const specOf = (topic: string): EventSpec | undefined => {
      const place = topics[topic];
      return place ? this.itemsAt<EventSpec>(place).find((s) => s.topic === topic) : undefined;
    };
    const isTopic = (key: string | symbol): key is string => typeof key === 'string' && Object.hasOwn(topics, key);
    return new Proxy<EventRegistry>({}, {
      get: (_target, key) => (isTopic(key) ? specOf(key) : undefined),
      has: (_target, key) => isTopic(key),
      ownKeys: () => Object.keys(topics),
      // an accessor, so listing the topics (Object.keys) loads none of them
      getOwnPropertyDescriptor: (_target, key) => (isTopic(key) ? { get: () => specOf(key), enumerable: true, configurable: true } : undefined),
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
    });
  }

  /** `operationsOf(appId)` from the app's own modules. */
  operationsOf(owners: Readonly<Partial<Record<AppId, readonly Place[]>>>): (appId: AppId) => readonly ApiOperation[] {
    return (appId) => {
      const found = new Set<ApiOperation>();
      for (const place of owners[appId] ?? []) {
        for (const op of this.itemsAt<ApiOperation>(place)) if (op.appId === appId) found.add(op);
      }
      return [...found];
    };
  }
}
