import { INT4_MAX } from '../common/http/strict-integer';

const MAX_SUB_LENGTH = 100;

export type Role = 'admin' | 'store_admin';
export const ROLES: readonly Role[] = ['admin', 'store_admin'];

/** Who is calling, from a verified bearer token. */
export interface AuthUser {
  readonly sub: string;
  readonly role: Role;
  /** The stores a store_admin manages; empty for an admin, who sees every store. */
  readonly storeIds: readonly number[];
  /**
   * When the caller's token stops working (its `exp`, seconds since the epoch); undefined for a token without one
   * (`npm run token -- --expires-in 0`). A token an admin mints may not outlive the admin's own (store-admin-tokens.ts).
   */
  readonly tokenExpiresAt?: number;
}

export interface TokenClaims {
  sub: string;
  role: Role;
  store_ids?: number[];
}

/** Checks the claims of an already signature-verified token; undefined when they are not ours. */
export function authUserFromClaims(payload: Record<string, unknown>): AuthUser | undefined {
  const { sub, role, store_ids: storeIds } = payload;
  // `sub` becomes a report's reported_by (at most 100 characters of text without NUL).
  if (typeof sub !== 'string' || sub === '' || sub.length > MAX_SUB_LENGTH || sub.includes('\u0000')) {
    return undefined;
  }
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return undefined;
  if (role === 'admin') return { sub, role: 'admin', storeIds: [] };
  // Store ids are `integer` columns: a claim beyond their range would fail every query that uses it.
  if (!Array.isArray(storeIds) || !storeIds.every((id) => Number.isInteger(id) && id > 0 && id <= INT4_MAX)) {
    return undefined;
  }
  return { sub, role: 'store_admin', storeIds: [...new Set(storeIds as number[])] };
}
