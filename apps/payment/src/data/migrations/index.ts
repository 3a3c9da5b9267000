import type { Migration } from '@emporium/kit';
import { payments } from './0001-payments';

export const migrations: readonly Migration[] = [payments];
