import type { Migration } from '@emporium/kit';
import { stock } from './0001-stock';

export const migrations: readonly Migration[] = [stock];
