import type { Migration } from '@emporium/kit';

/** Carts live in the Dapr state store; the schema holds only the kit's own tables. */
export const migrations: readonly Migration[] = [];
