/*
 * The conditions on a notifications row that every repository of the queue writes the same way: whether it waits,
 * whether a lease holds it, whether a digest may fold it, whether it is its turn.
 */

export const WAITING = `('pending', 'retrying')`;

/**
 * A notification nobody is sending: never leased, or its lease ran out. Lease ends are written and compared by the
 * database's clock, never an instance's own: two instances whose clocks disagree still agree on when a lease ran
 * out. (now() is the transaction's start, a little earlier than the statement: a lease ends a little sooner when
 * written, and is seen to end a little later when compared; both on the safe side.)
 */
export const LEASE_FREE = (alias: string) =>
  `(${alias}.lease_expires_at IS NULL OR ${alias}.lease_expires_at <= now())`;

/** The end of a lease of `param` milliseconds from now, by the database's clock. */
export const LEASE_END = (param: string) => `now() + ${param}::double precision * interval '1 millisecond'`;

/**
 * A waiting notification a digest may fold: a menu report that has not gone anywhere yet. A throttled attempt
 * spends no attempt, so `attempts = 0` alone does not say that: a stream notification that reached some of its
 * targets (remaining_targets set), or some of its users while every target missed (a work notification to part of
 * the users and a throttled group: recipients set, remaining_targets null), goes on alone to the rest, or the ones
 * that have it would get it again inside the digest. Never a report with confirmation buttons (an interactive card,
 * a custom robot's ActionCard of links: docs/confirmation.md): a markdown digest line has no button, so the kitchen
 * could not confirm it while its reminder and escalation still went; it waits its turn and goes whole.
 */
export const FOLDABLE = (alias: string) =>
  `(${alias}.status = 'pending' AND ${alias}.kind = 'menu_report' AND ${alias}.attempts = 0
    AND ${alias}.remaining_targets IS NULL AND ${alias}.recipients IS NULL AND ${alias}.target_outcomes IS NULL
    AND ${alias}.part_of IS NULL AND ${alias}.msg_type NOT IN ('card', 'actionCard'))`;

/**
 * A waiting notification whose turn it is: a message in one piece, or a part none of whose earlier parts still
 * waits (a retry included). Parts of one message leave in order; separate messages do not wait for each other.
 * Never a test message: the click that wrote it sends it, once (test-send.service.ts); the queue never does, not
 * even after that click's lease ran out unrecorded (the sweep then skips it: queue-upkeep.repository.ts).
 */
export const IN_TURN = (alias: string) =>
  `(${alias}.kind <> 'test' AND (${alias}.part_of IS NULL OR NOT EXISTS (
     SELECT 1 FROM notifications earlier
     WHERE earlier.part_of = ${alias}.part_of AND earlier.id < ${alias}.id AND earlier.status IN ${WAITING})))`;
