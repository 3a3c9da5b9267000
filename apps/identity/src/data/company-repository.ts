import type { Transaction } from '@emporium/kit';
import type { Company, CompanyBuyer, Invitation, NonNegativeMoney } from '@emporium/contracts';
import { moneyOf, type Database } from '@emporium/kit';

interface CompanyRow {
  id: string;
  name: string;
  tax_id: string;
  contact_email: string;
  contact_phone: string | null;
  address: string;
  status: Company['status'];
  rejection_reason: string | null;
  admin_user_id: string;
  created_at: Date;
}

export type CompanyRecord = Company & { adminUserId: string };

const toCompany = (r: CompanyRow): CompanyRecord => ({
  id: r.id,
  name: r.name,
  taxId: r.tax_id,
  contactEmail: r.contact_email,
  contactPhone: r.contact_phone,
  address: r.address,
  status: r.status,
  rejectionReason: r.rejection_reason,
  createdAt: r.created_at.toISOString(),
  adminUserId: r.admin_user_id,
});

const money = moneyOf;

export class CompanyRepository {
  constructor(private readonly db: Database) {}

  /** Answers false when a company with this tax id exists. */
  async insert(c: Omit<CompanyRecord, 'createdAt' | 'status' | 'rejectionReason'>, t?: Transaction): Promise<boolean> {
    const rows = await this.db.query(`INSERT INTO companies (id, name, tax_id, contact_email, contact_phone, address, status, admin_user_id)
       VALUES (:id, :name, :taxId, :contactEmail, :contactPhone, :address, 'pending', :adminUserId)
       ON CONFLICT (tax_id) DO NOTHING RETURNING id`, c, t);
    return rows.length === 1;
  }

  async byId(id: string, t?: Transaction, lock = false): Promise<CompanyRecord | undefined> {
    const [row] = await this.db.query<CompanyRow>(`SELECT * FROM companies WHERE id = :id${lock ? ' FOR UPDATE' : ''}`, { id }, t);
    return row && toCompany(row);
  }

  async list(status?: Company['status']): Promise<CompanyRecord[]> {
    const rows = await this.db.query<CompanyRow>(`SELECT * FROM companies ${status ? 'WHERE status = :status' : ''} ORDER BY created_at DESC, id LIMIT 200`, { status });
    return rows.map(toCompany);
  }

  async decide(id: string, status: 'approved' | 'rejected', reason: string | null, t: Transaction): Promise<void> {
    await this.db.query('UPDATE companies SET status = :status, rejection_reason = :reason, decided_at = now() WHERE id = :id', { id, status, reason }, t);
  }

  /** Answers false when an open invitation for this e-mail exists already. */
  async invite(i: { id: string; companyId: string; email: string; limit: NonNegativeMoney }, t?: Transaction): Promise<boolean> {
    const rows = await this.db.query(`INSERT INTO company_invitations (id, company_id, email, limit_amount, limit_currency, status)
       VALUES (:id, :companyId, :email, :amount, :currency, 'pending')
       ON CONFLICT DO NOTHING RETURNING id`, { ...i, amount: i.limit.amount, currency: i.limit.currency }, t);
    return rows.length === 1;
  }

  async invitations(where: { email?: string; id?: string; status?: Invitation['status'] }, t?: Transaction, lock = false): Promise<Invitation[]> {
    const clauses = [
      where.email !== undefined ? 'i.email = :email' : null,
      where.id !== undefined ? 'i.id = :id' : null,
      where.status !== undefined ? 'i.status = :status' : null,
    ].filter(Boolean);
    const rows = await this.db.query<{
      id: string;
      company_id: string;
      name: string;
      email: string;
      limit_amount: string;
      limit_currency: string;
      status: Invitation['status'];
      created_at: Date;
    }>(`SELECT i.*, c.name FROM company_invitations i JOIN companies c ON c.id = i.company_id
       ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY i.created_at${lock ? ' FOR UPDATE OF i' : ''}`, where, t);
    return rows.map((r) => ({
      id: r.id,
      companyId: r.company_id,
      companyName: r.name,
      email: r.email,
      spendingLimit: money(r.limit_amount, r.limit_currency),
      status: r.status,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async accept(invitationId: string, userId: string, t: Transaction): Promise<void> {
    await this.db.query(`UPDATE company_invitations SET status = 'accepted', accepted_by = :userId WHERE id = :invitationId`, { invitationId, userId }, t);
  }

  async addBuyer(companyId: string, userId: string, limit: NonNegativeMoney, t: Transaction): Promise<void> {
    await this.db.query(`INSERT INTO company_buyers (company_id, user_id, limit_amount, limit_currency) VALUES (:companyId, :userId, :amount, :currency)
       ON CONFLICT (company_id, user_id) DO UPDATE SET limit_amount = EXCLUDED.limit_amount, limit_currency = EXCLUDED.limit_currency`, { companyId, userId, amount: limit.amount, currency: limit.currency }, t);
  }

  async buyers(companyId: string, userId?: string): Promise<CompanyBuyer[]> {
    const rows = await this.db.query<{
      user_id: string;
      company_id: string;
      display_name: string;
      email: string | null;
      limit_amount: string;
      limit_currency: string;
      joined_at: Date;
    }>(`SELECT b.*, u.display_name, u.email FROM company_buyers b JOIN users u ON u.id = b.user_id
       WHERE b.company_id = :companyId ${userId ? 'AND b.user_id = :userId' : ''} ORDER BY b.joined_at`, { companyId, userId });
    return rows.map((r) => ({
      userId: r.user_id,
      companyId: r.company_id,
      displayName: r.display_name,
      email: r.email,
      spendingLimit: money(r.limit_amount, r.limit_currency),
      joinedAt: r.joined_at.toISOString(),
    }));
  }

  async setLimit(companyId: string, userId: string, limit: NonNegativeMoney, t?: Transaction): Promise<boolean> {
    const rows = await this.db.query(`UPDATE company_buyers SET limit_amount = :amount, limit_currency = :currency WHERE company_id = :companyId AND user_id = :userId RETURNING user_id`, { companyId, userId, amount: limit.amount, currency: limit.currency }, t);
    return rows.length === 1;
  }
}
