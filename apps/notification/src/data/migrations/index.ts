import type { Migration } from '@emporium/kit';
import { inboxes } from './0001-inboxes';
import { inboxVersions } from './0002-inbox-versions';
import { emails } from './0003-emails';
import { emailsOwnContent } from './0004-emails-own-content';
import { digestsStaffTags } from './0005-digests-staff-tags';

/** Applied in order at start, each once (the kit's migrator); add a file per change, never edit one that shipped. */
export const migrations: readonly Migration[] = [inboxes, inboxVersions, emails, emailsOwnContent, digestsStaffTags];
