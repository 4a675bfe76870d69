import { EntityManager } from 'typeorm';

/*
 * How PostgreSQL plans a transaction's parameterised statements, from here to the transaction's end (SET LOCAL: a
 * pooled connection goes back to the pool as it was). Left to choose (`auto`), it plans a prepared statement with
 * its parameters' values (a custom plan) on its first five runs, then keeps its generic plan, planned once per
 * connection, while that costs no more than the custom plans did on average: a statement whose parameters are arrays
 * of varying length may be planned afresh on almost every run. Outside a transaction SET LOCAL does nothing (with a
 * warning): call these inside one.
 */
const GENERIC = 'SET LOCAL plan_cache_mode = force_generic_plan';
const AUTO = 'SET LOCAL plan_cache_mode = auto';

/** Every statement from here on runs on its generic plan: also the unprepared ones (see withCustomPlans). */
export async function useGenericPlans(manager: EntityManager): Promise<void> {
  await manager.query(GENERIC);
}

/**
 * `work` with PostgreSQL choosing plans as usual, inside a transaction that useGenericPlans set: for a statement
 * whose generic plan cannot use its indexes (a condition such as `$1 IS NULL OR id = ANY($1)` is settled only by the
 * value). Generic plans again after it; not after a failure, which ends the transaction anyway (a statement sent
 * after one would fail in its turn and hide the first error).
 */
export async function withCustomPlans<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
  await manager.query(AUTO);
  const result = await work();
  await manager.query(GENERIC);
  return result;
}
