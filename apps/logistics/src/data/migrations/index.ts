import type { Migration } from '@emporium/kit';
import { shipments } from './0001-shipments';

/** Applied in order at start, each once (the kit's migrator); add a file per change, never edit one that shipped. */
export const migrations: readonly Migration[] = [shipments];
