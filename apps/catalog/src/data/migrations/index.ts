import type { Migration } from '@emporium/kit';
import { catalog } from './0001-catalog';

export const migrations: readonly Migration[] = [catalog];
