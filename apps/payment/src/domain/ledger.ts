import { randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Money, PaymentSplit } from '@emporium/contracts';
import { moneyOf, type Database } from '@emporium/kit';

/**
 * The double-entry ledger. Accounts are names:
 *   buyer:<userId>          what buyers paid by card (negative)
 *   clearing:<method>       captured (provider, wallet, invoice), not yet split
 *   wallet:<userId>         money held for a buyer (top-ups less wallet payments); never negative
 *   invoice:<companyId>     what a company owes on invoice (negative while owed)
 *   settlement:bank         invoices companies paid by bank transfer (negative)
 *   escrow:<shopId>         a shop's split of paid orders, held until completion
 *   receivable:<shopId>     released to the shop, owed until paid out
 *   commission              the platform's commission
 *   payout:<shopId>         paid out to the shop's bank
 * A posting is a set of entries that sums to zero (the database checks it at
 * commit); postings are idempotent by (kind, reference).
 */
export type Entry = { account: string; amount: number };

/** The commission of one split, rounded down: the merchant keeps the fraction. */
export const commissionOf = (amount: number, bps: number) => Math.floor((amount * bps) / 10_000);

export type PostingKind = 'capture' | 'split' | 'release' | 'payout' | 'refund' | 'top-up' | 'settle';

export async function post(db: Database, t: Transaction, kind: PostingKind, reference: string, currency: string, entries: Entry[]): Promise<boolean> {
  const merged = new Map<string, number>();
  for (const e of entries) merged.set(e.account, (merged.get(e.account) ?? 0) + e.amount);
  const lines = [...merged.entries()].filter(([, amount]) => amount !== 0);
  if (lines.reduce((a, [, amount]) => a + amount, 0) !== 0) throw new Error(`posting ${kind}:${reference} does not balance`);
  const id = randomUUID();
  const inserted = await db.sequelize.query<{ id: string }>(
    'INSERT INTO ledger_postings (id, kind, reference, currency) VALUES (:id, :kind, :reference, :currency) ON CONFLICT (kind, reference) DO NOTHING RETURNING id',
    { replacements: { id, kind, reference, currency }, type: QueryTypes.SELECT, transaction: t },
  );
  if (inserted.length === 0) return false; // posted before
  for (const [account, amount] of lines) {
    await db.sequelize.query('INSERT INTO ledger_entries (posting_id, account, amount) VALUES (:id, :account, :amount)', { replacements: { id, account, amount }, transaction: t });
  }
  return true;
}

/** Where a payment's money comes from, and the clearing account it passes through. */
export function sourceOf(p: { method: 'card' | 'wallet' | 'invoice'; buyerUserId: string; companyId: string | null }): { from: string; clearing: string } {
  if (p.method === 'wallet') return { from: `wallet:${p.buyerUserId}`, clearing: 'clearing:wallet' };
  if (p.method === 'invoice') return { from: `invoice:${p.companyId}`, clearing: 'clearing:invoice' };
  return { from: `buyer:${p.buyerUserId}`, clearing: 'clearing:provider' };
}

/** A captured payment: the money into clearing, then each shop's split into escrow and the commission. */
export async function postCapture(
  db: Database,
  t: Transaction,
  p: { id: string; method: 'card' | 'wallet' | 'invoice'; buyerUserId: string; companyId: string | null; amount: Money; splits: PaymentSplit[] },
): Promise<void> {
  const { currency } = p.amount;
  const { from, clearing } = sourceOf(p);
  await post(db, t, 'capture', p.id, currency, [
    { account: from, amount: -p.amount.amount },
    { account: clearing, amount: p.amount.amount },
  ]);
  const commission = p.splits.reduce((a, s) => a + commissionOf(s.amount.amount, s.commissionBps), 0);
  await post(db, t, 'split', p.id, currency, [
    { account: clearing, amount: -p.amount.amount },
    ...p.splits.map((s) => ({ account: `escrow:${s.shopId}`, amount: s.amount.amount - commissionOf(s.amount.amount, s.commissionBps) })),
    { account: 'commission', amount: commission },
  ]);
}

/**
 * Pays out every shop's receivable in one batch: one posting per shop,
 * receivable:<shop> → payout:<shop>. Batches take a transaction-wide lock, so
 * two at once never pay the same receivable twice.
 */
export async function payoutBatch(db: Database, currency: string, createdBy: string) {
  return db.transaction(async (t) => {
    await db.sequelize.query("SELECT pg_advisory_xact_lock(hashtext('payment.payout-batch'))", { transaction: t });
    const owed = await db.sequelize.query<{ account: string; balance: string }>(
      `SELECT e.account, sum(e.amount) AS balance FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id
       WHERE e.account LIKE 'receivable:%' AND p.currency = :currency GROUP BY e.account HAVING sum(e.amount) > 0 ORDER BY e.account`,
      { replacements: { currency }, type: QueryTypes.SELECT, transaction: t },
    );
    const id = randomUUID();
    const payouts = owed.map((r) => ({ shopId: r.account.slice('receivable:'.length), amount: moneyOf(r.balance, currency) }));
    for (const p of payouts) {
      await post(db, t, 'payout', `${id}:${p.shopId}`, currency, [
        { account: `receivable:${p.shopId}`, amount: -p.amount.amount },
        { account: `payout:${p.shopId}`, amount: p.amount.amount },
      ]);
    }
    const total = payouts.reduce((a, p) => a + p.amount.amount, 0);
    const [row] = await db.sequelize.query<{ created_at: Date }>(
      'INSERT INTO payout_batches (id, currency, payouts, total, created_by) VALUES (:id, :currency, :payouts, :total, :createdBy) RETURNING created_at',
      { replacements: { id, currency, payouts: JSON.stringify(payouts), total, createdBy }, type: QueryTypes.SELECT, transaction: t },
    );
    return { id, currency, payouts, total: { amount: total, currency }, createdAt: row!.created_at.toISOString() };
  });
}

export async function payoutBatches(db: Database) {
  const rows = await db.sequelize.query<{ id: string; currency: string; payouts: { shopId: string; amount: Money }[]; total: string; created_at: Date }>(
    'SELECT * FROM payout_batches ORDER BY created_at DESC LIMIT 100',
    { type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({ id: r.id, currency: r.currency.trim(), payouts: r.payouts, total: moneyOf(r.total, r.currency), createdAt: r.created_at.toISOString() }));
}

export interface LedgerReport {
  ok: boolean;
  postings: number;
  unbalancedPostings: string[];
  capturesNotSplit: string[];
  negativeEscrow: string[];
  refundsOverCapture: string[];
  balances: { account: string; balance: Money }[];
}

/** The invariants of DESIGN.md, checked over the whole ledger at this moment. */
export async function checkLedger(db: Database): Promise<LedgerReport> {
  const q = <T extends object>(sql: string) => db.sequelize.query<T>(sql, { type: QueryTypes.SELECT });
  const [count] = await q<{ n: string }>('SELECT count(*) AS n FROM ledger_postings');
  const unbalanced = await q<{ id: string }>(`SELECT p.kind || ':' || p.reference AS id FROM ledger_postings p JOIN ledger_entries e ON e.posting_id = p.id GROUP BY p.id HAVING sum(e.amount) <> 0`);
  // captured = splits + commission for every captured payment (a top-up's capture goes to the wallet whole)
  const notSplit = await q<{ id: string }>(`
    SELECT c.reference AS id FROM ledger_postings c
    JOIN ledger_entries ce ON ce.posting_id = c.id AND ce.account LIKE 'clearing:%'
    LEFT JOIN ledger_postings s ON s.kind IN ('split', 'top-up') AND s.reference = c.reference
    LEFT JOIN ledger_entries se ON se.posting_id = s.id AND (se.account LIKE 'escrow:%' OR se.account = 'commission' OR se.account LIKE 'wallet:%')
    WHERE c.kind = 'capture'
    GROUP BY c.reference, ce.amount HAVING COALESCE(sum(se.amount), 0) <> ce.amount`);
  // what a shop holds in escrow or is owed, and a buyer's wallet, can never go below zero
  const negative = await q<{ account: string }>(
    `SELECT account FROM ledger_entries WHERE account LIKE 'escrow:%' OR account LIKE 'receivable:%' OR account LIKE 'wallet:%' GROUP BY account HAVING sum(amount) < 0`,
  );
  // refunds never exceed captures: per payment, what refund postings gave back against what its capture took
  const overRefunded = await q<{ id: string }>(`
    SELECT r.payment_id AS id FROM refunds r
    JOIN ledger_postings rp ON rp.kind = 'refund' AND rp.reference = r.id
    JOIN ledger_entries re ON re.posting_id = rp.id AND re.amount > 0 AND re.account NOT LIKE 'escrow:%' AND re.account <> 'commission'
    GROUP BY r.payment_id
    HAVING sum(re.amount) > (SELECT COALESCE(sum(ce.amount), 0) FROM ledger_postings cp JOIN ledger_entries ce ON ce.posting_id = cp.id AND ce.account LIKE 'clearing:%'
                             WHERE cp.kind = 'capture' AND cp.reference = r.payment_id::text)`);
  const balances = await q<{ account: string; currency: string; balance: string }>(
    `SELECT e.account, p.currency, sum(e.amount) AS balance FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id GROUP BY e.account, p.currency ORDER BY e.account`,
  );
  const report = {
    postings: Number(count?.n ?? 0),
    unbalancedPostings: unbalanced.map((r) => r.id),
    capturesNotSplit: notSplit.map((r) => r.id),
    negativeEscrow: negative.map((r) => r.account),
    refundsOverCapture: overRefunded.map((r) => r.id),
    balances: balances.map((b) => ({ account: b.account, balance: moneyOf(b.balance, b.currency) })),
  };
  return {
    ok: report.unbalancedPostings.length === 0 && report.capturesNotSplit.length === 0 && report.negativeEscrow.length === 0 && report.refundsOverCapture.length === 0,
    ...report,
  };
}

export async function shopLedger(db: Database, shopId: string) {
  const rows = await db.sequelize.query<{ currency: string; in_escrow: string; released: string; paid_out: string }>(
    `SELECT p.currency,
            COALESCE(sum(e.amount) FILTER (WHERE e.account = :escrow), 0) AS in_escrow,
            COALESCE(sum(e.amount) FILTER (WHERE e.account = :receivable AND e.amount > 0), 0) AS released,
            COALESCE(sum(e.amount) FILTER (WHERE e.account = :payout), 0) AS paid_out
     FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id
     WHERE e.account IN (:escrow, :receivable, :payout) GROUP BY p.currency ORDER BY p.currency`,
    { replacements: { escrow: `escrow:${shopId}`, receivable: `receivable:${shopId}`, payout: `payout:${shopId}` }, type: QueryTypes.SELECT },
  );
  return rows.map((r) => {
    const currency = r.currency.trim();
    const m = (amount: string) => moneyOf(amount, currency);
    return { shopId, currency, inEscrow: m(r.in_escrow), released: m(r.released), paidOut: m(r.paid_out) };
  });
}

/**
 * A refund of R out of a split of A: the shop gives back R less the
 * commission's share, the platform its share. Shares are cumulative, so the
 * refunds of one split give back exactly its commission in the end, never a
 * fen more: commission back = floor((before + R) × bps) − floor(before × bps).
 */
export function commissionBack(split: PaymentSplit, refundedBefore: number, amount: number): number {
  return commissionOf(refundedBefore + amount, split.commissionBps) - commissionOf(refundedBefore, split.commissionBps);
}

export async function postRefund(db: Database, t: Transaction, r: { id: string; to: string; shopId: string; amount: Money; commissionBack: number }): Promise<boolean> {
  return post(db, t, 'refund', r.id, r.amount.currency, [
    { account: `escrow:${r.shopId}`, amount: -(r.amount.amount - r.commissionBack) },
    { account: 'commission', amount: -r.commissionBack },
    { account: r.to, amount: r.amount.amount },
  ]);
}

/** A completed sub-order: what is left of its shop's split in escrow (after refunds) goes to the shop's receivable (once per sub-order). */
export async function postRelease(db: Database, t: Transaction, split: PaymentSplit, refundedNet = 0): Promise<boolean> {
  const net = split.amount.amount - commissionOf(split.amount.amount, split.commissionBps) - refundedNet;
  if (net === 0) return false;
  return post(db, t, 'release', split.subOrderId, split.amount.currency, [
    { account: `escrow:${split.shopId}`, amount: -net },
    { account: `receivable:${split.shopId}`, amount: net },
  ]);
}

/** The balance of one account (0 when it has no entries). */
export async function balanceOf(db: Database, account: string, t?: Transaction): Promise<number> {
  const [row] = await db.sequelize.query<{ balance: string | null }>('SELECT sum(amount) AS balance FROM ledger_entries WHERE account = :account', {
    replacements: { account },
    type: QueryTypes.SELECT,
    transaction: t,
  });
  return Number(row?.balance ?? 0);
}
