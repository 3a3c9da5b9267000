import type { Migration } from '@emporium/kit';
import { index } from './0001-index';
import { publishedLexemes } from './0002-published-lexemes';
import { rankLexemes } from './0003-rank-lexemes';
import { mirror } from './0004-mirror';

/** Applied in order at start, each once (the kit's migrator); add a file per change, never edit one that shipped. */
export const migrations: readonly Migration[] = [index, publishedLexemes, rankLexemes, mirror];
