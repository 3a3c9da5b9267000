import type { Migration } from '@emporium/kit';
import { shops } from './0001-shops';

export const migrations: readonly Migration[] = [shops];
