import type { Logger, Sidecar } from '@emporium/kit';

/** What cart's use-cases need; built once in app.ts. */
export interface CartContext {
  sidecar: Sidecar;
  logger: Logger;
  guestTtlSeconds: number;
  maxLines: number;
}
