/**
 * A bot's health made from its sources' signals, in SQL (docs/bot-health.md): written once, here, for both writers
 * of table bot_health, the recording of sends (in the recording's own statement: sendHealthCtes) and the other
 * observations (BotHealthRepository.change, under the row's lock). Signals are JSON (health-signals.ts's
 * HealthSignal); their times are clock milliseconds.
 */

/** How bad a health is (`healthy` 0, `degraded` 1, `broken` 2), of an SQL text expression. */
const severity = (health: string) =>
  `(CASE ${health} WHEN 'broken' THEN 2 WHEN 'degraded' THEN 1 ELSE 0 END)`;

/**
 * A FROM item (LATERAL where its arguments name other FROM items) with the health the two signals make: the worse;
 * between two as bad, the older (the delivery's when they began together). Columns: health, reason, detail, hint,
 * signal_since (ms; null when healthy).
 */
export function combinedHealth(delivery: string, connection: string): string {
  return `(SELECT COALESCE(w.s->>'health', 'healthy') AS health, w.s->>'reason' AS reason, w.s->>'detail' AS detail,
                  w.s->>'hint' AS hint, (w.s->>'since')::double precision AS signal_since
           FROM (SELECT CASE WHEN p.c IS NULL THEN p.d WHEN p.d IS NULL THEN p.c
                             WHEN ${severity("p.c->>'health'")} > ${severity("p.d->>'health'")}
                                  OR (p.c->>'health' = p.d->>'health'
                                      AND (p.c->>'since')::double precision < (p.d->>'since')::double precision)
                             THEN p.c ELSE p.d END AS s
                 FROM (SELECT (${delivery})::jsonb AS d, (${connection})::jsonb AS c) AS p) AS w)`;
}

/**
 * Since when the bot has its new health `next` (a combinedHealth), its row `row` holding the old one, observed at
 * `at` (timestamptz): kept while the health stays; when it worsens, from when the signal that worsened it began (not
 * before the old since); when it improves, from `at`.
 */
export function healthSince(next: string, row: string, at: string): string {
  return `CASE WHEN ${next}.health = ${row}.health THEN ${row}.since
               WHEN ${severity(`${next}.health`)} > ${severity(`${row}.health`)}
               THEN GREATEST(COALESCE(to_timestamp(${next}.signal_since / 1000), ${at}), ${row}.since)
               ELSE ${at} END`;
}

/**
 * What recorded sends say of their bots, as CTEs of the recording's statement (the notify module's SendHealthWrite
 * port): `answers` is a relation of the sends (bot_id, at, outcome, status, detail, hint, pause_scope, pause_until),
 * the last CTE `health_changes` returns each bot whose health changed (bot_id, was, health, reason, detail, hint,
 * since).
 *
 * - Each bot's latest answer decides (the round's others are older), and only for a bot switched on: a bot switched
 *   off is expected to do nothing, so what its test button meets says nothing of its health.
 * - What an answer says (health-signals.ts's HealthSignal): accepted, nothing wrong; throttled, degraded until the
 *   pause ends, or broken when the organisation's monthly quota is used up; a transient error, degraded while retries
 *   remain and broken once they ran out; a permanent refusal, broken. The same trouble as before keeps its since.
 *   Sends that failed for good (`retries_exhausted`, `send_refused`) stay broken until a send is accepted: a later
 *   send's retry or throttle (degraded) does not say the bot mended — else a bot flapping between a send out of
 *   retries and the next send's first failure would never last the alerts' quiet period.
 * - In the order the sends ended, whichever instance records them and when: an answer older than the delivery's
 *   last observation (`delivery_seen_at`), or than the bot's last recorded send (`bot_delivery_states`'s
 *   `last_delivery_at`, which the recording's lock holds: an accepted send of a healthy bot writes no health), is
 *   not applied. Written under the health row's lock (FOR UPDATE: the latest committed row, whichever instance or
 *   writer changed it since the statement began), after the bots' state rows (the lock order of the delivery queue).
 * - Written only where something is said: an accepted send of a bot whose sends said nothing wrong (most sends)
 *   reads the row by its key and writes nothing.
 * - A bot without a health row (created, and its row not yet written) gets one here.
 */
export function sendHealthCtes(answers: string): string {
  return `health_answers AS (
     SELECT DISTINCT ON (a.bot_id) a.bot_id, a.at, (extract(epoch FROM a.at) * 1000)::double precision AS at_ms,
            CASE WHEN a.outcome = 'ok' THEN NULL ELSE jsonb_build_object(
              'health', CASE WHEN a.outcome = 'throttled' THEN CASE a.pause_scope WHEN 'app' THEN 'broken'
                                                                                  ELSE 'degraded' END
                             WHEN a.outcome = 'permanent' OR a.status = 'failed' THEN 'broken'
                             ELSE 'degraded' END,
              'reason', CASE WHEN a.outcome = 'throttled' THEN CASE a.pause_scope WHEN 'app' THEN 'quota_used_up'
                                                                                  WHEN 'cluster' THEN 'ip_blocked'
                                                                                  ELSE 'throttled' END
                             WHEN a.outcome = 'permanent' THEN 'send_refused'
                             WHEN a.status = 'failed' THEN 'retries_exhausted'
                             ELSE 'retrying' END,
              'detail', a.detail, 'hint', a.hint, 'since', (extract(epoch FROM a.at) * 1000)::double precision,
              'until', CASE WHEN a.outcome = 'throttled'
                            THEN (extract(epoch FROM a.pause_until) * 1000)::double precision END)
            END AS signal
     FROM ${answers} a JOIN ding_talk_bots b ON b.id = a.bot_id AND b.is_enabled
     ORDER BY a.bot_id, a.at DESC),
   health_rows AS MATERIALIZED (
     SELECT h.bot_id, h.health, h.delivery AS previous, h.connection
     FROM bot_health h JOIN health_answers a ON a.bot_id = h.bot_id
     LEFT JOIN bot_delivery_states s ON s.bot_id = a.bot_id
     WHERE h.bot_id IN (SELECT bot_id FROM health_answers)
       AND (a.signal IS NOT NULL OR h.delivery IS NOT NULL)
       AND (h.delivery_seen_at IS NULL OR h.delivery_seen_at <= a.at)
       AND (s.last_delivery_at IS NULL OR s.last_delivery_at <= a.at)
     FOR UPDATE OF h),
   health_next AS (
     SELECT r.bot_id, a.at, r.health AS was, r.connection,
            CASE WHEN a.signal IS NULL THEN NULL
                 WHEN a.signal->>'health' = 'degraded' AND r.previous->>'health' = 'broken'
                      AND r.previous->>'reason' IN ('retries_exhausted', 'send_refused') THEN r.previous
                 WHEN r.previous->>'health' = a.signal->>'health' AND r.previous->>'reason' = a.signal->>'reason'
                 THEN a.signal || jsonb_build_object(
                        'since', LEAST((r.previous->>'since')::double precision, a.at_ms))
                 ELSE a.signal END AS delivery
     FROM health_rows r JOIN health_answers a ON a.bot_id = r.bot_id),
   health_written AS (
     UPDATE bot_health h
     SET delivery = n.delivery, delivery_seen_at = n.at, health = c.health, reason = c.reason, detail = c.detail,
         hint = c.hint, since = ${healthSince('c', 'h', 'n.at')}, changed_at = n.at
     FROM health_next n CROSS JOIN LATERAL ${combinedHealth('n.delivery', 'n.connection')} c
     WHERE h.bot_id = n.bot_id
     RETURNING h.bot_id, n.was, h.health, h.reason, h.detail, h.hint, h.since),
   -- A row made at once, with the signal alone (the bot had nothing else said of it); or the row its creation wrote
   -- meanwhile (committed after this statement began), while nothing is said in it yet.
   health_added AS (
     INSERT INTO bot_health AS h (bot_id, health, reason, detail, hint, since, changed_at, delivery, delivery_seen_at)
     SELECT a.bot_id, a.signal->>'health', a.signal->>'reason', a.signal->>'detail', a.signal->>'hint', a.at, a.at,
            a.signal, a.at
     FROM health_answers a
     WHERE a.signal IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bot_health e WHERE e.bot_id = a.bot_id)
     ORDER BY a.bot_id
     ON CONFLICT (bot_id) DO UPDATE
     SET health = EXCLUDED.health, reason = EXCLUDED.reason, detail = EXCLUDED.detail, hint = EXCLUDED.hint,
         since = EXCLUDED.since, changed_at = EXCLUDED.changed_at, delivery = EXCLUDED.delivery,
         delivery_seen_at = EXCLUDED.delivery_seen_at
     WHERE h.delivery IS NULL AND h.connection IS NULL AND h.delivery_seen_at IS NULL
     RETURNING h.bot_id, 'healthy'::varchar AS was, h.health, h.reason, h.detail, h.hint, h.since),
   health_changes AS (
     SELECT * FROM health_written WHERE health <> was UNION ALL SELECT * FROM health_added)`;
}
