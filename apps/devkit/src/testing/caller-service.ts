import type { PlatformEvents } from '@emporium/contracts';
import type { ServiceDefinition } from '@emporium/kit';

/**
 * A kit app with nothing of its own. Started under another service's app-id
 * (`startApp(callerService('x_test_order'), { appId: 'order' })`), it calls
 * that service's peers through a real sidecar, which names it as the caller,
 * and publishes its events, as the service itself would.
 */
export function callerService(schema: string): ServiceDefinition<Record<never, never>, PlatformEvents> {
  return { schema, migrations: [], build: () => ({ routes: [] }) };
}
