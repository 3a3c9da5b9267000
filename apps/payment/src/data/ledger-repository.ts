import type { Transaction } from '@emporium/kit';
import type { Money } from '@emporium/contracts';
import { type CamelRow, type Database } from '@emporium/kit';

interface PayoutBatchColumns {
  id: string;
  currency: string;
  payouts: { shopId: string; amount: Money }[];
  total: string;
  created_by: string;
  created_at: Date;
}
export type PayoutBatchRecord = CamelRow<PayoutBatchColumns>;

/** The ledger's tables: postings, their entries, payout batches. Amounts come back as numbers of minor units. */
export class LedgerRepository {
  constructor(private readonly db: Database) {}


  /** A posting with its entries; false (and nothing written) when (kind, reference) was posted before. */
  async insertPosting(p: { id: string; kind: string; reference: string; currency: string }, lines: [account: string, amount: number][], t: Transaction): Promise<boolean> {
    const inserted = await this.db.select<{ id: string }>(
      'INSERT INTO ledger_postings (id, kind, reference, currency) VALUES (:id, :kind, :reference, :currency) ON CONFLICT (kind, reference) DO NOTHING RETURNING id',
      { ...p },
      t,
    );
    if (inserted.length === 0) return false;
    for (const [account, amount] of lines) {
      await this.db.query('INSERT INTO ledger_entries (posting_id, account, amount) VALUES (:id, :account, :amount)', { id: p.id, account, amount }, t);
    }
    return true;
  }

  /** The balance of one account (0 when it has no entries). */
  async balance(account: string, t?: Transaction): Promise<number> {
    const [r] = await this.db.select<{ balance: string | null }>('SELECT sum(amount) AS balance FROM ledger_entries WHERE account = :account', { account }, t);
    return Number(r?.balance ?? 0);
  }

  /** An account's latest entries with their posting's kind and reference, newest first. */
  async entries(account: string, limit: number, t?: Transaction): Promise<{ kind: string; reference: string; amount: number; currency: string; createdAt: Date }[]> {
    const rows = await this.db.select<{ kind: string; reference: string; amount: string; currency: string; created_at: Date }>(
      `SELECT p.kind, p.reference, e.amount, p.currency, p.created_at FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id
       WHERE e.account = :account ORDER BY p.created_at DESC, p.id LIMIT :limit`,
      { account, limit },
      t,
    );
    return rows.map((r) => ({ ...r, amount: Number(r.amount), currency: r.currency.trim() }));
  }

  /** Every shop owed money in a currency (receivable above zero), by account. */
  async receivables(currency: string, t: Transaction): Promise<{ shopId: string; balance: number }[]> {
    const rows = await this.db.select<{ account: string; balance: string }>(
      `SELECT e.account, sum(e.amount) AS balance FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id
       WHERE e.account LIKE 'receivable:%' AND p.currency = :currency GROUP BY e.account HAVING sum(e.amount) > 0 ORDER BY e.account`,
      { currency },
      t,
    );
    return rows.map((r) => ({ shopId: r.account.slice('receivable:'.length), balance: Number(r.balance) }));
  }

  /** The balance of one account in a currency, as of this transaction. */
  async balanceIn(account: string, currency: string, t: Transaction): Promise<number> {
    const [row] = await this.db.select<{ balance: string | null }>(
      'SELECT sum(e.amount) AS balance FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id WHERE e.account = :account AND p.currency = :currency',
      { account, currency },
      t,
    );
    return Number(row?.balance ?? 0);
  }

  /** Whether a sub-order's escrow was released to its shop already. */
  async released(subOrderId: string, t: Transaction): Promise<boolean> {
    const [row] = await this.db.select<{ id: string }>(`SELECT id FROM ledger_postings WHERE kind = 'release' AND reference = :subOrderId LIMIT 1`, { subOrderId }, t);
    return row !== undefined;
  }

  /** Payout batches one at a time: two at once would pay the same receivable twice. */
  async lockPayouts(t: Transaction): Promise<void> {
    await this.db.query("SELECT pg_advisory_xact_lock(hashtext('payment.payout-batch'))", undefined, t);
  }

  async insertPayoutBatch(b: { id: string; currency: string; payouts: { shopId: string; amount: Money }[]; total: number; createdBy: string }, t: Transaction): Promise<Date> {
    const [r] = await this.db.select<{ created_at: Date }>(
      'INSERT INTO payout_batches (id, currency, payouts, total, created_by) VALUES (:id, :currency, :payouts, :total, :createdBy) RETURNING created_at',
      { ...b, payouts: JSON.stringify(b.payouts) },
      t,
    );
    return r!.createdAt;
  }

  async payoutBatches(): Promise<PayoutBatchRecord[]> {
    return (await this.db.select<PayoutBatchColumns>('SELECT * FROM payout_batches ORDER BY created_at DESC LIMIT 100')).map((r) => ({ ...r, currency: r.currency.trim() }));
  }

  /** A shop's money per currency: in escrow, released to it so far, paid out. */
  async shopTotals(shopId: string): Promise<{ currency: string; inEscrow: string; released: string; paidOut: string }[]> {
    const rows = await this.db.select<{ currency: string; in_escrow: string; released: string; paid_out: string }>(
      `SELECT p.currency,
              COALESCE(sum(e.amount) FILTER (WHERE e.account = :escrow), 0) AS in_escrow,
              COALESCE(sum(e.amount) FILTER (WHERE e.account = :receivable AND e.amount > 0), 0) AS released,
              COALESCE(sum(e.amount) FILTER (WHERE e.account = :payout), 0) AS paid_out
       FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id
       WHERE e.account IN (:escrow, :receivable, :payout) GROUP BY p.currency ORDER BY p.currency`,
      { escrow: `escrow:${shopId}`, receivable: `receivable:${shopId}`, payout: `payout:${shopId}` },
    );
    return rows.map((r) => ({ ...r, currency: r.currency.trim() }));
  }

  // ---- the invariants of DESIGN.md, each a query for what breaks it ------------

  async count(): Promise<number> {
    const [r] = await this.db.select<{ n: string }>('SELECT count(*) AS n FROM ledger_postings');
    return Number(r?.n ?? 0);
  }

  /** Postings whose entries do not sum to zero, as kind:reference. */
  async unbalanced(): Promise<string[]> {
    const rows = await this.db.select<{ id: string }>(`SELECT p.kind || ':' || p.reference AS id FROM ledger_postings p JOIN ledger_entries e ON e.posting_id = p.id GROUP BY p.id HAVING sum(e.amount) <> 0`);
    return rows.map((r) => r.id);
  }

  /** Captures whose money did not all reach escrow and commission (or a wallet, for a top-up). */
  async capturesNotSplit(): Promise<string[]> {
    const rows = await this.db.select<{ id: string }>(`
      SELECT c.reference AS id FROM ledger_postings c
      JOIN ledger_entries ce ON ce.posting_id = c.id AND ce.account LIKE 'clearing:%'
      LEFT JOIN ledger_postings s ON s.kind IN ('split', 'top-up') AND s.reference = c.reference
      LEFT JOIN ledger_entries se ON se.posting_id = s.id AND (se.account LIKE 'escrow:%' OR se.account = 'commission' OR se.account = 'promotions' OR se.account LIKE 'wallet:%')
      WHERE c.kind = 'capture'
      GROUP BY c.reference, ce.amount HAVING COALESCE(sum(se.amount), 0) <> ce.amount`);
    return rows.map((r) => r.id);
  }

  /** Escrow, receivable and wallet accounts below zero. */
  async negativeHoldings(): Promise<string[]> {
    const rows = await this.db.select<{ account: string }>(
      `SELECT account FROM ledger_entries WHERE account LIKE 'escrow:%' OR account LIKE 'receivable:%' OR account LIKE 'wallet:%' GROUP BY account HAVING sum(amount) < 0`,
    );
    return rows.map((r) => r.account);
  }

  /** Payments whose refund postings gave back more than their capture took. */
  async refundsOverCapture(): Promise<string[]> {
    const rows = await this.db.select<{ id: string }>(`
      SELECT r.payment_id AS id FROM refunds r
      JOIN ledger_postings rp ON rp.kind = 'refund' AND rp.reference = r.id
      JOIN ledger_entries re ON re.posting_id = rp.id AND re.amount > 0 AND re.account NOT LIKE 'escrow:%' AND re.account NOT IN ('commission', 'promotions')
      GROUP BY r.payment_id
      HAVING sum(re.amount) > (SELECT COALESCE(sum(ce.amount), 0) FROM ledger_postings cp JOIN ledger_entries ce ON ce.posting_id = cp.id AND ce.account LIKE 'clearing:%'
                               WHERE cp.kind = 'capture' AND cp.reference = r.payment_id::text)`);
    return rows.map((r) => r.id);
  }

  async balances(): Promise<{ account: string; currency: string; balance: string }[]> {
    return this.db.select<{ account: string; currency: string; balance: string }>(
      'SELECT e.account, p.currency, sum(e.amount) AS balance FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id GROUP BY e.account, p.currency ORDER BY e.account',
    );
  }
}
