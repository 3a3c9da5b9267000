import type { Transaction } from '@emporium/kit';
import type { BilingualText, SettlementAccount, ShopStatus, StaffInvitation, StaffMember } from '@emporium/contracts';
import type { Database } from '@emporium/kit';

export interface ShopRecord {
  id: string;
  ownerUserId: string;
  name: BilingualText;
  description: BilingualText;
  contactEmail: string;
  contactPhone: string;
  status: ShopStatus;
  statusReason: string | null;
  commissionBps: number;
  settlementAccount: SettlementAccount;
  createdAt: Date;
}

interface ShopRow {
  id: string;
  owner_user_id: string;
  name: BilingualText;
  description: BilingualText;
  contact_email: string;
  contact_phone: string;
  status: ShopStatus;
  status_reason: string | null;
  commission_bps: number;
  account_name: string;
  bank_name: string;
  account_number: string;
  created_at: Date;
}

const toShop = (r: ShopRow): ShopRecord => ({
  id: r.id,
  ownerUserId: r.owner_user_id,
  name: r.name,
  description: r.description,
  contactEmail: r.contact_email,
  contactPhone: r.contact_phone,
  status: r.status,
  statusReason: r.status_reason,
  commissionBps: r.commission_bps,
  settlementAccount: { accountName: r.account_name, bankName: r.bank_name, accountNumber: r.account_number },
  createdAt: r.created_at,
});

export class ShopRepository {
  constructor(private readonly db: Database) {}

  /** Answers false when the owner has an open application already. */
  async insert(s: Omit<ShopRecord, 'createdAt' | 'status' | 'statusReason'>, t?: Transaction): Promise<boolean> {
    const rows = await this.db.query(`INSERT INTO shops (id, owner_user_id, name, description, contact_email, contact_phone, status, commission_bps, account_name, bank_name, account_number)
       VALUES (:id, :ownerUserId, :name, :description, :contactEmail, :contactPhone, 'pending', :commissionBps, :accountName, :bankName, :accountNumber)
       ON CONFLICT DO NOTHING RETURNING id`, { ...s, name: JSON.stringify(s.name), description: JSON.stringify(s.description), ...s.settlementAccount }, t);
    return rows.length === 1;
  }

  async byId(id: string, t?: Transaction, lock = false): Promise<ShopRecord | undefined> {
    const [row] = await this.db.query<ShopRow>(`SELECT * FROM shops WHERE id = :id${lock ? ' FOR UPDATE' : ''}`, { id }, t);
    return row && toShop(row);
  }

  async list(status?: ShopStatus): Promise<ShopRecord[]> {
    const rows = await this.db.query<ShopRow>(`SELECT * FROM shops ${status ? 'WHERE status = :status' : ''} ORDER BY created_at DESC, id LIMIT 200`, { status });
    return rows.map(toShop);
  }

  /** Shops the user owns or works for, with the role. */
  async ofUser(userId: string): Promise<{ shop: ShopRecord; role: StaffMember['role'] }[]> {
    const rows = await this.db.query<ShopRow & { role: StaffMember['role'] | null }>(`SELECT s.*, coalesce(st.role, CASE WHEN s.owner_user_id = :userId THEN 'merchant_owner' END) AS role
       FROM shops s LEFT JOIN shop_staff st ON st.shop_id = s.id AND st.user_id = :userId
       WHERE s.owner_user_id = :userId OR st.user_id IS NOT NULL ORDER BY s.created_at`, { userId });
    return rows.map((r) => ({ shop: toShop(r), role: r.role ?? 'merchant_staff' }));
  }

  async staffRole(shopId: string, userId: string): Promise<StaffMember['role'] | undefined> {
    const [row] = await this.db.query<{ role: StaffMember['role'] }>('SELECT role FROM shop_staff WHERE shop_id = :shopId AND user_id = :userId', { shopId, userId });
    return row?.role;
  }

  async setStatus(id: string, status: ShopStatus, reason: string | null, t: Transaction): Promise<void> {
    await this.db.query('UPDATE shops SET status = :status, status_reason = :reason, updated_at = now() WHERE id = :id', { id, status, reason }, t);
  }

  async setCommission(id: string, commissionBps: number, t: Transaction): Promise<void> {
    await this.db.query('UPDATE shops SET commission_bps = :commissionBps, updated_at = now() WHERE id = :id', { id, commissionBps }, t);
  }

  async updateProfile(id: string, p: Partial<Pick<ShopRecord, 'name' | 'description' | 'contactEmail' | 'contactPhone' | 'settlementAccount'>>, t: Transaction): Promise<void> {
    await this.db.query(`UPDATE shops SET
         name = coalesce(:name::jsonb, name), description = coalesce(:description::jsonb, description),
         contact_email = coalesce(:contactEmail, contact_email), contact_phone = coalesce(:contactPhone, contact_phone),
         account_name = coalesce(:accountName, account_name), bank_name = coalesce(:bankName, bank_name),
         account_number = coalesce(:accountNumber, account_number), updated_at = now()
       WHERE id = :id`, {
          id,
          name: p.name ? JSON.stringify(p.name) : null,
          description: p.description ? JSON.stringify(p.description) : null,
          contactEmail: p.contactEmail ?? null,
          contactPhone: p.contactPhone ?? null,
          accountName: p.settlementAccount?.accountName ?? null,
          bankName: p.settlementAccount?.bankName ?? null,
          accountNumber: p.settlementAccount?.accountNumber ?? null,
        }, t);
  }

  async addStaff(shopId: string, userId: string, role: StaffMember['role'], t: Transaction): Promise<void> {
    await this.db.query('INSERT INTO shop_staff (shop_id, user_id, role) VALUES (:shopId, :userId, :role) ON CONFLICT (shop_id, user_id) DO NOTHING', { shopId, userId, role }, t);
  }

  async staff(shopId: string): Promise<StaffMember[]> {
    const rows = await this.db.query<{ shop_id: string; user_id: string; role: StaffMember['role']; joined_at: Date; email: string | null }>(`SELECT st.*, (SELECT i.email FROM staff_invitations i WHERE i.shop_id = st.shop_id AND i.accepted_by = st.user_id ORDER BY i.created_at DESC LIMIT 1) AS email
         FROM shop_staff st WHERE st.shop_id = :shopId ORDER BY st.joined_at`, { shopId });
    return rows.map((r) => ({ shopId: r.shop_id, userId: r.user_id, role: r.role, email: r.email, joinedAt: r.joined_at.toISOString() }));
  }

  async invite(i: { id: string; shopId: string; email: string; role: 'merchant_staff' }, t: Transaction): Promise<boolean> {
    const rows = await this.db.query(`INSERT INTO staff_invitations (id, shop_id, email, role, status) VALUES (:id, :shopId, :email, :role, 'pending') ON CONFLICT DO NOTHING RETURNING id`, i, t);
    return rows.length === 1;
  }

  async invitations(where: { id?: string; email?: string; shopId?: string; status?: StaffInvitation['status'] }, t?: Transaction, lock = false): Promise<StaffInvitation[]> {
    const clauses = [where.id ? 'i.id = :id' : null, where.email ? 'i.email = :email' : null, where.shopId ? 'i.shop_id = :shopId' : null, where.status ? 'i.status = :status' : null].filter(Boolean);
    const rows = await this.db.query<{ id: string; shop_id: string; name: BilingualText; email: string; role: 'merchant_staff'; status: StaffInvitation['status']; created_at: Date }>(`SELECT i.*, s.name FROM staff_invitations i JOIN shops s ON s.id = i.shop_id
       ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY i.created_at${lock ? ' FOR UPDATE OF i' : ''}`, where, t);
    return rows.map((r) => ({ id: r.id, shopId: r.shop_id, shopName: r.name, email: r.email, role: r.role, status: r.status, createdAt: r.created_at.toISOString() }));
  }

  async revokeInvitation(id: string, t: Transaction): Promise<void> {
    await this.db.query(`UPDATE staff_invitations SET status = 'revoked' WHERE id = :id AND status = 'pending'`, { id }, t);
  }

  async acceptInvitation(id: string, userId: string, t: Transaction): Promise<void> {
    await this.db.query(`UPDATE staff_invitations SET status = 'accepted', accepted_by = :userId WHERE id = :id`, { id, userId }, t);
  }
}
