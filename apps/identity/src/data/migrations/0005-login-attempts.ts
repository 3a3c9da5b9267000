import type { Migration } from '@emporium/kit';

export const loginAttempts: Migration = {
  name: '0005-login-attempts',
  async up({ query }) {
    // each log-in counts as a failure before its password is checked, named by
    // its attempt so that a right password takes back its own row: parallel
    // guesses then see each other and cannot pass the limit together
    await query('ALTER TABLE login_failures ADD COLUMN attempt uuid');
    // every log-in takes its row back by attempt: found by index, not by reading the table
    await query('CREATE INDEX login_failures_attempt ON login_failures (attempt) WHERE attempt IS NOT NULL');
  },
};
