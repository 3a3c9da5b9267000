import { randomUUID } from 'node:crypto';
import type { Transaction } from '@emporium/kit';
import type { Money, PaymentSplit } from '@emporium/contracts';
import { moneyOf } from '@emporium/kit';
import type { LedgerRepository } from '../data/ledger-repository';
import type { PaymentContext } from './payment-context';

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
 *   promotions              what the platform's coupons cost it (negative): paid into shops' escrow with their splits
 *   payout:<shopId>         paid out to the shop's bank
 * A posting is a set of entries that sums to zero (the database checks it at
 * commit); postings are idempotent by (kind, reference).
 */
export type Entry = { account: string; amount: number };

/** The commission of one split, rounded down: the merchant keeps the fraction. */
export const commissionOf = (amount: number, bps: number) => Math.floor((amount * bps) / 10_000);

/** What the platform's coupons took off a split: the platform pays it to the shop. */
const subsidyOf = (split: PaymentSplit) => split.platformDiscount?.amount ?? 0;

/** What a split is worth to its shop: the buyer's money and the platform's coupon share; commission is taken of it. */
export const grossOf = (split: PaymentSplit) => split.amount.amount + subsidyOf(split);

/**
 * The platform's coupon share that refunds of `refunded` (of the buyer's amount) give back, rounded
 * down and cumulative: refunding all of it gives back all of the share, never a fen more.
 */
export function subsidyShare(split: PaymentSplit, refunded: number): number {
  const a = split.amount.amount;
  return a === 0 ? 0 : refunded >= a ? subsidyOf(split) : Math.floor((refunded * subsidyOf(split)) / a);
}

export type PostingKind = 'capture' | 'split' | 'release' | 'payout' | 'refund' | 'top-up' | 'settle';

export async function post(ledger: LedgerRepository, t: Transaction, kind: PostingKind, reference: string, currency: string, entries: Entry[]): Promise<boolean> {
  const merged = new Map<string, number>();
  for (const e of entries) merged.set(e.account, (merged.get(e.account) ?? 0) + e.amount);
  const lines = [...merged.entries()].filter(([, amount]) => amount !== 0);
  if (lines.reduce((a, [, amount]) => a + amount, 0) !== 0) throw new Error(`posting ${kind}:${reference} does not balance`);
  return ledger.insertPosting({ id: randomUUID(), kind, reference, currency }, lines, t);
}

/** Where a payment's money comes from, and the clearing account it passes through. */
export function sourceOf(p: { method: 'card' | 'wallet' | 'invoice'; buyerUserId: string; companyId: string | null }): { from: string; clearing: string } {
  if (p.method === 'wallet') return { from: `wallet:${p.buyerUserId}`, clearing: 'clearing:wallet' };
  if (p.method === 'invoice') return { from: `invoice:${p.companyId}`, clearing: 'clearing:invoice' };
  return { from: `buyer:${p.buyerUserId}`, clearing: 'clearing:provider' };
}

/** A captured payment: the money into clearing, then each shop's split into escrow and the commission. */
export async function postCapture(
  ledger: LedgerRepository,
  t: Transaction,
  p: { id: string; method: 'card' | 'wallet' | 'invoice'; buyerUserId: string; companyId: string | null; amount: Money; splits: PaymentSplit[] },
): Promise<void> {
  const { currency } = p.amount;
  const { from, clearing } = sourceOf(p);
  await post(ledger, t, 'capture', p.id, currency, [
    { account: from, amount: -p.amount.amount },
    { account: clearing, amount: p.amount.amount },
  ]);
  const commission = p.splits.reduce((a, s) => a + commissionOf(grossOf(s), s.commissionBps), 0);
  await post(ledger, t, 'split', p.id, currency, [
    { account: clearing, amount: -p.amount.amount },
    ...p.splits.map((s) => ({ account: `escrow:${s.shopId}`, amount: grossOf(s) - commissionOf(grossOf(s), s.commissionBps) })),
    { account: 'commission', amount: commission },
    { account: 'promotions', amount: -p.splits.reduce((a, s) => a + subsidyOf(s), 0) },
  ]);
}

/**
 * Pays out every shop's receivable in one batch: one posting per shop,
 * receivable:<shop> → payout:<shop>. Batches take a transaction-wide lock, so
 * two at once never pay the same receivable twice.
 */
export async function payoutBatch(ctx: Pick<PaymentContext, 'db' | 'ledger'>, currency: string, createdBy: string) {
  return ctx.db.transaction(async (t) => {
    await ctx.ledger.lockPayouts(t);
    const id = randomUUID();
    const payouts: { shopId: string; amount: Money }[] = [];
    for (const r of await ctx.ledger.receivables(currency, t)) {
      // a shop that owes the platform (a refund clawed back after it was paid out) is paid what is left after its debt
      const debt = -Math.min(0, await ctx.ledger.balanceIn(`clawback:${r.shopId}`, currency, t));
      const settled = Math.min(debt, r.balance);
      const due = r.balance - settled;
      await post(ctx.ledger, t, 'payout', `${id}:${r.shopId}`, currency, [
        { account: `receivable:${r.shopId}`, amount: -r.balance },
        { account: `clawback:${r.shopId}`, amount: settled },
        { account: `payout:${r.shopId}`, amount: due },
      ]);
      if (due > 0) payouts.push({ shopId: r.shopId, amount: { amount: due, currency } });
    }
    const total = payouts.reduce((a, p) => a + p.amount.amount, 0);
    const createdAt = await ctx.ledger.insertPayoutBatch({ id, currency, payouts, total, createdBy }, t);
    return { id, currency, payouts, total: { amount: total, currency }, createdAt: createdAt.toISOString() };
  });
}

export async function payoutBatches(ledger: LedgerRepository) {
  return (await ledger.payoutBatches()).map((r) => ({ id: r.id, currency: r.currency, payouts: r.payouts, total: moneyOf(r.total, r.currency), createdAt: r.createdAt.toISOString() }));
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
export async function checkLedger(ledger: LedgerRepository): Promise<LedgerReport> {
  const report = {
    postings: await ledger.count(),
    unbalancedPostings: await ledger.unbalanced(),
    capturesNotSplit: await ledger.capturesNotSplit(),
    negativeEscrow: await ledger.negativeHoldings(),
    refundsOverCapture: await ledger.refundsOverCapture(),
    balances: (await ledger.balances()).map((b) => ({ account: b.account, balance: moneyOf(b.balance, b.currency) })),
  };
  return {
    ok: report.unbalancedPostings.length === 0 && report.capturesNotSplit.length === 0 && report.negativeEscrow.length === 0 && report.refundsOverCapture.length === 0,
    ...report,
  };
}

export async function shopLedger(ledger: LedgerRepository, shopId: string) {
  return (await ledger.shopTotals(shopId)).map((r) => {
    const m = (amount: string) => moneyOf(amount, r.currency);
    return { shopId, currency: r.currency, inEscrow: m(r.inEscrow), released: m(r.released), paidOut: m(r.paidOut) };
  });
}

/**
 * A refund of R out of a split of A (the buyer's money) with a platform
 * coupon share S: the buyer gets R; the shop gives back R and the matching
 * part of S (to promotions), less the commission's share of both, which the
 * platform gives back. Shares are cumulative, so the refunds of one split
 * give back exactly its commission and S in the end, never a fen more:
 * with g(x) = x + subsidyShare(x), commission back = floor(g(before + R) × bps) − floor(g(before) × bps).
 */
export function refundShares(split: PaymentSplit, refundedBefore: number, amount: number): { commissionBack: number; subsidyBack: number } {
  const g = (x: number) => x + subsidyShare(split, x);
  return {
    commissionBack: commissionOf(g(refundedBefore + amount), split.commissionBps) - commissionOf(g(refundedBefore), split.commissionBps),
    subsidyBack: subsidyShare(split, refundedBefore + amount) - subsidyShare(split, refundedBefore),
  };
}

/**
 * A refund's postings. The shop's part comes out of its escrow while the
 * sub-order's money is held; once released (a return after completion) it
 * is clawed back from what the shop is owed (`receivable`), and what that
 * does not cover (paid out already) becomes the shop's debt
 * (`clawback:<shop>`, negative), netted against its next payout. Either
 * way the posting balances.
 */
export async function postRefund(
  ledger: LedgerRepository,
  t: Transaction,
  r: { id: string; to: string; shopId: string; subOrderId: string; amount: Money; commissionBack: number; subsidyBack: number },
): Promise<boolean> {
  const shopPart = r.amount.amount + r.subsidyBack - r.commissionBack;
  let fromShop: { account: string; amount: number }[] = [{ account: `escrow:${r.shopId}`, amount: -shopPart }];
  if (await ledger.released(r.subOrderId, t)) {
    // what the shop is owed is read under the payouts' lock: a payout batch,
    // or another refund of the shop's, taking the same receivable at the
    // same moment would otherwise both spend it and leave it negative
    await ledger.lockPayouts(t);
    const owed = Math.max(0, await ledger.balanceIn(`receivable:${r.shopId}`, r.amount.currency, t));
    const fromReceivable = Math.min(shopPart, owed);
    fromShop = [
      { account: `receivable:${r.shopId}`, amount: -fromReceivable },
      { account: `clawback:${r.shopId}`, amount: -(shopPart - fromReceivable) },
    ];
  }
  return post(ledger, t, 'refund', r.id, r.amount.currency, [
    ...fromShop,
    { account: 'commission', amount: -r.commissionBack },
    { account: 'promotions', amount: r.subsidyBack },
    { account: r.to, amount: r.amount.amount },
  ]);
}

/** A completed sub-order: what is left of its shop's split in escrow (after refunds) goes to the shop's receivable (once per sub-order). */
export async function postRelease(ledger: LedgerRepository, t: Transaction, split: PaymentSplit, refundedNet = 0): Promise<boolean> {
  const net = grossOf(split) - commissionOf(grossOf(split), split.commissionBps) - refundedNet;
  if (net === 0) return false;
  return post(ledger, t, 'release', split.subOrderId, split.amount.currency, [
    { account: `escrow:${split.shopId}`, amount: -net },
    { account: `receivable:${split.shopId}`, amount: net },
  ]);
}
