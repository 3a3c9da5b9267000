import type { Migration } from '@emporium/kit';
import { points } from './0001-points';
import { levels } from './0002-levels';
import { pointHolds } from './0003-point-holds';
import { birthdays } from './0004-birthdays';
import { pointsActivities } from './0005-points-activities';
import { earnRevocations } from './0006-earn-revocations';

/** Applied in order at start, each once (the kit's migrator); add a file per change, never edit one that shipped. */
export const migrations: readonly Migration[] = [points, levels, pointHolds, birthdays, pointsActivities, earnRevocations];
