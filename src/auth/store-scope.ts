import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { FieldError } from '../common/http/api-envelope';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { AuthUser } from './auth-user';

/**
 * Store scoping, in one place. Reading another store's resource is a 404 (its existence is not
 * revealed); creating in another store is a 403.
 */
export function canAccessStore(user: AuthUser, storeId: number): boolean {
  return user.role === 'admin' || user.storeIds.includes(storeId);
}

/** The store ids a list query must be limited to, or undefined for "every store". */
export function visibleStoreIds(user: AuthUser): readonly number[] | undefined {
  return user.role === 'admin' ? undefined : user.storeIds;
}

/** Throws the 404 the caller would get for a missing resource, so that hidden and missing look alike. */
export function assertCanSee(user: AuthUser, storeId: number, notFound: () => NotFoundException): void {
  if (!canAccessStore(user, storeId)) throw notFound();
}

export function assertCanWriteStore(user: AuthUser, storeId: number): void {
  if (!canAccessStore(user, storeId)) {
    throw new ForbiddenException(`You do not manage store ${storeId}`);
  }
}

/**
 * The store a new resource goes to: the given one (checked), or for a store_admin with exactly one store,
 * that store.
 */
export function storeForCreate(user: AuthUser, storeId: number | undefined): number {
  if (storeId !== undefined) {
    assertCanWriteStore(user, storeId);
    return storeId;
  }
  const implied = impliedStore(user);
  if (implied !== undefined) return implied;
  throw new ValidationFailedException([STORE_ID_REQUIRED]);
}

/** The store a create without `store_id` goes to: a store_admin's one store; nobody else has one. */
export function impliedStore(user: AuthUser): number | undefined {
  return user.role === 'store_admin' && user.storeIds.length === 1 ? user.storeIds[0] : undefined;
}

export const STORE_ID_REQUIRED: FieldError = {
  field: 'store_id',
  message: 'store_id is required unless the token manages exactly one store',
};

/**
 * The stores a list may show: the requested one if the caller can see it, else the caller's stores; undefined
 * means every store (an admin without a filter); an empty array means nothing (a store the caller cannot see).
 */
export function storesToList(user: AuthUser, requested: number | undefined): readonly number[] | undefined {
  const visible = visibleStoreIds(user);
  if (requested === undefined) return visible;
  return !visible || visible.includes(requested) ? [requested] : [];
}
