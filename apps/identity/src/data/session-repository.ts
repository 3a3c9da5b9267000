import type { Transaction } from '@emporium/kit';
import type { Database } from '@emporium/kit';

export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  replacedAt: Date | null;
  revokedAt: Date | null;
}

/** Refresh tokens (stored as SHA-256 hashes) grouped in families, and failed log-ins for throttling. */
export class SessionRepository {
  constructor(private readonly db: Database) {}

  async insertToken(r: { id: string; familyId: string; userId: string; tokenHash: string; expiresAt: Date }, t?: Transaction): Promise<void> {
    await this.db.query(`INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at) VALUES (:id, :familyId, :userId, :tokenHash, :expiresAt)`, r, t);
  }

  /** The token with this hash, locked for the rest of the transaction. */
  async lockByHash(tokenHash: string, t: Transaction): Promise<RefreshTokenRecord | undefined> {
    const [row] = await this.db.query<{ id: string; family_id: string; user_id: string; expires_at: Date; replaced_at: Date | null; revoked_at: Date | null }>('SELECT id, family_id, user_id, expires_at, replaced_at, revoked_at FROM refresh_tokens WHERE token_hash = :tokenHash FOR UPDATE', { tokenHash }, t);
    return row && { id: row.id, familyId: row.family_id, userId: row.user_id, expiresAt: row.expires_at, replacedAt: row.replaced_at, revokedAt: row.revoked_at };
  }

  async markReplaced(id: string, t: Transaction): Promise<void> {
    await this.db.query('UPDATE refresh_tokens SET replaced_at = now() WHERE id = :id', { id }, t);
  }

  async revokeFamily(familyId: string, t?: Transaction): Promise<void> {
    await this.db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = :familyId AND revoked_at IS NULL', { familyId }, t);
  }

  /** Ends every session of the user: no refresh token of theirs works any more. */
  async revokeAllOf(userId: string, t: Transaction): Promise<void> {
    await this.db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = :userId AND revoked_at IS NULL', { userId }, t);
  }

  /**
   * Counts an attempt as a failure under each key before its password is
   * checked, and answers how many failures each key has in the window, this
   * one included. The row is committed before the count is read, so of N
   * attempts at once the k-th to commit sees at least k: no more than the
   * limit get past it together. Outside any transaction on purpose.
   */
  async claimAttempt(attempt: string, keys: readonly string[], windowSeconds: number): Promise<number[]> {
    // in the same statement, what the window no longer counts goes (by the (key, at) index), so a key keeps at most a window's failures
    await this.db.query(
      `WITH gone AS (DELETE FROM login_failures WHERE key IN (:keys) AND at <= now() - make_interval(secs => :windowSeconds))
       INSERT INTO login_failures (key, attempt) SELECT unnest(ARRAY[:keys]::text[]), :attempt`,
      { keys, attempt, windowSeconds },
    );
    const rows = await this.db.query<{ key: string; n: string }>(
      'SELECT key, count(*) AS n FROM login_failures WHERE key IN (:keys) AND at > now() - make_interval(secs => :windowSeconds) GROUP BY key',
      { keys, windowSeconds },
    );
    return keys.map((k) => Number(rows.find((r) => r.key === k)?.n ?? 0));
  }

  /** The attempt was not a failure after all (refused before its check, or the password was right). */
  async withdrawAttempt(attempt: string): Promise<void> {
    await this.db.query('DELETE FROM login_failures WHERE attempt = :attempt', { attempt });
  }

  async clearFailures(key: string): Promise<void> {
    await this.db.query('DELETE FROM login_failures WHERE key = :key', { key });
  }
}
