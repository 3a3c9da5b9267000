import type { Transaction } from '@emporium/kit';
import type { Locale, Membership, Role } from '@emporium/contracts';
import type { Database } from '@emporium/kit';

export interface UserRecord {
  id: string;
  email: string | null;
  phone: string | null;
  passwordHash: string;
  displayName: string;
  locale: Locale;
  /** YYYY-MM-DD */
  birthday: string | null;
  createdAt: Date;
}

interface UserRow {
  id: string;
  email: string | null;
  phone: string | null;
  password_hash: string;
  display_name: string;
  locale: Locale;
  /** node-postgres reads a date as local midnight */
  birthday: Date | string | null;
  created_at: Date;
}

const isoDate = (d: Date | string | null): string | null =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  phone: r.phone,
  passwordHash: r.password_hash,
  displayName: r.display_name,
  locale: r.locale,
  birthday: isoDate(r.birthday),
  createdAt: r.created_at,
});

export class UserRepository {
  constructor(private readonly db: Database) {}

  /** Inserts a user; answers false when the e-mail or phone is taken. */
  async insert(user: Omit<UserRecord, 'createdAt' | 'birthday'>, t?: Transaction): Promise<boolean> {
    const rows = await this.db.query(`INSERT INTO users (id, email, phone, password_hash, display_name, locale)
       VALUES (:id, :email, :phone, :passwordHash, :displayName, :locale)
       ON CONFLICT DO NOTHING RETURNING id`, user, t);
    return rows.length === 1;
  }

  async byId(id: string, t?: Transaction): Promise<UserRecord | undefined> {
    const [row] = await this.db.query<UserRow>('SELECT * FROM users WHERE id = :id', { id }, t);
    return row && toUser(row);
  }

  /** By e-mail (any case) or phone. */
  async byLogin(login: string): Promise<UserRecord | undefined> {
    const [row] = await this.db.query<UserRow>('SELECT * FROM users WHERE email = lower(:login) OR phone = :login LIMIT 1', { login });
    return row && toUser(row);
  }

  async memberships(userId: string, t?: Transaction): Promise<Membership[]> {
    const rows = await this.db.query<{ role: Role; scope_id: string | null; kind: 'shop' | 'company' | null }>(`SELECT m.role, m.scope_id FROM memberships m WHERE m.user_id = :userId ORDER BY m.created_at, m.role`, { userId }, t);
    return rows.map((r) => {
      if (!r.scope_id) return { role: r.role };
      return r.role.startsWith('company_') ? { role: r.role, companyId: r.scope_id } : { role: r.role, shopId: r.scope_id };
    });
  }

  async updateProfile(id: string, change: { displayName?: string | undefined; locale?: string | undefined; birthday?: string | undefined }, t?: Transaction): Promise<void> {
    await this.db.query(
      'UPDATE users SET display_name = coalesce(:displayName, display_name), locale = coalesce(:locale, locale), birthday = coalesce(:birthday::date, birthday) WHERE id = :id',
      { id, displayName: change.displayName ?? null, locale: change.locale ?? null, birthday: change.birthday ?? null },
      t,
    );
  }

  /** The user's row, locked for a change that depends on it. */
  async lock(id: string, t: Transaction): Promise<UserRecord | undefined> {
    const [row] = await this.db.query<UserRow>('SELECT * FROM users WHERE id = :id FOR UPDATE', { id }, t);
    return row && toUser(row);
  }

  async setPasswordHash(id: string, passwordHash: string, t: Transaction): Promise<void> {
    await this.db.query('UPDATE users SET password_hash = :passwordHash WHERE id = :id', { id, passwordHash }, t);
  }

  async grant(userId: string, role: Role, scopeId: string | null, t?: Transaction): Promise<void> {
    await this.db.query(`INSERT INTO memberships (user_id, role, scope_id) VALUES (:userId, :role, :scopeId) ON CONFLICT DO NOTHING`, { userId, role, scopeId }, t);
  }
}
