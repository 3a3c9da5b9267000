import type { Migration } from '@emporium/kit';
import { accounts } from './0001-accounts';
import { companies } from './0002-companies';
import { addresses } from './0003-addresses';
import { birthdays } from './0004-birthdays';
import { loginAttempts } from './0005-login-attempts';

/** In order; applied at start by the kit. */
export const migrations: readonly Migration[] = [accounts, companies, addresses, birthdays, loginAttempts];
