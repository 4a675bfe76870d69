import { DingTalkOutcome } from './dingtalk-outcome';

/**
 * What became of a message for each of its recipients, as DingTalk tells it after the send call itself said yes:
 * `getsendresult` for work notifications (docs/dingtalk/work-notifications.md), the two lists in the answer of a
 * one-to-one robot send (docs/dingtalk/robot-messages.md).
 *
 * - `delivered`: in the user's chat (work notifications: read or unread);
 * - `invalid`: unknown to the organisation; sending again cannot work;
 * - `forbidden`: held back by a limit of DingTalk's (`errcode` names it: 143105 the user's daily quota, 143106 the
 *   same content to the same user twice a day, 143103/143104 the app's per-minute quota; one-to-one sends:
 *   `flowControlled`);
 * - `failed`: DingTalk says it could not deliver, without a reason;
 * - `unconfirmed`: DingTalk took the message but never said what became of it for this user;
 * - `unanswered`: the send's answer never came (timeout, cut connection, a send stopped by its lease or a shutdown):
 *   DingTalk may have the message or not. Sent again; a repeat that DingTalk drops as the same content (143106) then
 *   means the earlier send arrived (see arrivedEarlier).
 */
export const RECIPIENT_OUTCOMES = [
  'delivered',
  'invalid',
  'forbidden',
  'failed',
  'unconfirmed',
  'unanswered',
] as const;
export type RecipientOutcomeKind = (typeof RECIPIENT_OUTCOMES)[number];

/** The code a one-to-one robot send's throttled users are recorded with (its `flowControlledStaffIdList`). */
export const FLOW_CONTROLLED = 'flowControlled';

export interface RecipientOutcome {
  userId: string;
  outcome: RecipientOutcomeKind;
  /** DingTalk's code for a `forbidden` user (`forbidden_list[].code`, or the list that named the user); else null. */
  errcode: string | null;
}

/**
 * Limits a later send can get past: the app's per-minute quotas of work notifications (143103, 143104) and a
 * one-to-one robot send's throttle (`flowControlled`, "sending again later can work": docs/dingtalk/robot-messages.md).
 * The user's daily quota (143105) lasts until the end of DingTalk's day, and DingTalk drops the same content again
 * (143106).
 */
const PASSING_LIMITS = new Set(['143103', '143104', FLOW_CONTROLLED]);

/**
 * Whether sending to this recipient again can still get the message to them: a failure without a reason, or a
 * limit that passes within minutes. Never a delivered one.
 */
export function canRetryRecipient(recipient: RecipientOutcome): boolean {
  if (recipient.outcome === 'failed' || recipient.outcome === 'unanswered') return true;
  return (
    recipient.outcome === 'forbidden' && recipient.errcode !== null && PASSING_LIMITS.has(recipient.errcode)
  );
}

/** getsendresult's code for a user who got the same content from this app earlier the same day. */
export const SAME_CONTENT_TODAY = '143106';

/**
 * Whether a repeat DingTalk dropped as the same content today (143106, docs/dingtalk/work-notifications.md) is this
 * very notification arriving earlier: its earlier send to the user had no known outcome (`unanswered`, or
 * `unconfirmed` before a resend). The user has the message then. A first send dropped as 143106 stays `forbidden`:
 * the content came from another notification, and this one really was dropped.
 */
export function arrivedEarlier(earlier: RecipientOutcome | undefined, fresh: RecipientOutcome): boolean {
  return (
    fresh.outcome === 'forbidden' &&
    fresh.errcode === SAME_CONTENT_TODAY &&
    (earlier?.outcome === 'unanswered' || earlier?.outcome === 'unconfirmed')
  );
}

/**
 * Reads the `send_result` of a `getsendresult` answer (docs/dingtalk/work-notifications.md) for the given users.
 * Users in no list yet are left out (DingTalk is still sending). Null when the answer is not a result at all.
 */
export function readSendResult(json: unknown, userIds: readonly string[]): RecipientOutcome[] | null {
  const body = json as { errcode?: unknown; send_result?: unknown } | undefined;
  if (!body || Number(body.errcode) !== 0 || typeof body.send_result !== 'object' || !body.send_result) {
    return null;
  }
  const result = body.send_result as Record<string, unknown>;
  const codes = new Map<string, string>();
  if (Array.isArray(result.forbidden_list)) {
    for (const entry of result.forbidden_list as Array<{ userid?: unknown; code?: unknown }>) {
      const code = entry?.code;
      if (typeof entry?.userid === 'string' && (typeof code === 'string' || typeof code === 'number')) {
        codes.set(entry.userid, String(code));
      }
    }
  }
  const lists: Array<[string, RecipientOutcomeKind]> = [
    ['invalid_user_id_list', 'invalid'],
    ['forbidden_user_id_list', 'forbidden'],
    ['failed_user_id_list', 'failed'],
    ['read_user_id_list', 'delivered'],
    ['unread_user_id_list', 'delivered'],
  ];
  const found = new Map<string, RecipientOutcome>();
  for (const [field, outcome] of lists) {
    for (const userId of idList(result[field])) {
      if (found.has(userId)) continue;
      found.set(userId, {
        userId,
        outcome,
        errcode: outcome === 'forbidden' ? (codes.get(userId) ?? null) : null,
      });
    }
  }
  // A user only in forbidden_list (some answers name them there alone).
  for (const [userId, code] of codes) {
    if (!found.has(userId)) found.set(userId, { userId, outcome: 'forbidden', errcode: code });
  }
  return userIds.flatMap((userId) => {
    const outcome = found.get(userId);
    return outcome ? [outcome] : [];
  });
}

/** DingTalk's lists are arrays of userids; some answers give them as one comma-separated string. */
function idList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter((id) => id !== '');
  if (typeof value === 'string')
    return value
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
  return [];
}

/**
 * The users of one `oToMessages/batchSend` (docs/dingtalk/robot-messages.md): HTTP 200 with a user in
 * `flowControlledStaffIdList` (throttled) or `invalidStaffIdList` (unknown) means that user did not get it, the others
 * did. Null when the call failed as a whole (nobody got it, and DingTalk named nobody).
 */
export function oneToOneRecipients(
  userIds: readonly string[],
  outcome: DingTalkOutcome,
): RecipientOutcome[] | null {
  if (outcome.kind !== 'ok' && !outcome.undelivered) return null;
  const flowControlled = new Set(outcome.undelivered?.flowControlled ?? []);
  const invalid = new Set(outcome.undelivered?.invalid ?? []);
  return userIds.map((userId): RecipientOutcome => {
    if (invalid.has(userId)) return { userId, outcome: 'invalid', errcode: null };
    if (flowControlled.has(userId)) return { userId, outcome: 'forbidden', errcode: FLOW_CONTROLLED };
    return { userId, outcome: 'delivered', errcode: null };
  });
}
