import type { Migration } from '@emporium/kit';

/**
 * A version per inbox, taken from one sequence whenever the inbox changes
 * (a message written, read, archived) and one for the broadcasts: what a
 * client waiting for news compares, and what PostgreSQL's NOTIFY wakes it for.
 */
export const inboxVersions: Migration = {
  name: '0002-inbox-versions',
  async up({ query }) {
    await query('CREATE SEQUENCE inbox_changes');
    await query('CREATE TABLE inbox_versions (inbox text PRIMARY KEY, version bigint NOT NULL)');
  },
};
