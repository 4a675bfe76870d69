import { DingTalkOutcome } from '../../../dingtalk/dingtalk-outcome';
import { arrivedEarlier, canRetryRecipient, RecipientOutcome } from '../../../dingtalk/recipient-outcomes';
import { UsersStanding } from '../../bot-sender';

/**
 * The users a work notification still has to reach: the bot's users without an earlier outcome (never sent to, or
 * the send call itself failed) or with one a later send can change. A delivered user is never sent to again.
 */
export function usersToReach(
  configured: readonly string[],
  earlier: readonly RecipientOutcome[] | null,
): string[] {
  const known = new Map((earlier ?? []).map((recipient) => [recipient.userId, recipient]));
  return configured.filter((userId) => {
    const recipient = known.get(userId);
    return recipient === undefined || canRetryRecipient(recipient);
  });
}

/**
 * The bot's users' outcomes after this send: the new ones over the earlier ones, in the bot's order. A user whose
 * earlier send had no known outcome and whose repeat DingTalk dropped as the same content (143106) got the earlier
 * send: delivered (arrivedEarlier).
 */
export function mergeRecipients(
  configured: readonly string[],
  earlier: readonly RecipientOutcome[] | null,
  fresh: readonly RecipientOutcome[] | null,
): RecipientOutcome[] | null {
  if (!earlier && !fresh) return null;
  const byUser = new Map<string, RecipientOutcome>();
  for (const recipient of earlier ?? []) byUser.set(recipient.userId, recipient);
  for (const recipient of fresh ?? []) {
    byUser.set(
      recipient.userId,
      arrivedEarlier(byUser.get(recipient.userId), recipient)
        ? { userId: recipient.userId, outcome: 'delivered', errcode: null }
        : recipient,
    );
  }
  const merged = configured.flatMap((userId) => {
    const recipient = byUser.get(userId);
    return recipient ? [recipient] : [];
  });
  return merged.length > 0 ? merged : null;
}

export interface UsersVerdict {
  standing: UsersStanding;
  /** The users target's outcome for the delivery queue: `ok` (with a hint when not everyone got it) or not. */
  outcome: DingTalkOutcome;
}

/**
 * Judges the users target from the send call's outcome and every user's recipient outcome:
 * - some user can still get it (DingTalk failed them, or a per-minute quota held it back): `transient`, so the
 *   notification is retried, to those users only;
 * - nobody got it and nobody can: `permanent` (failed, with the reason in the hint);
 * - otherwise `ok`; when some users were held back for good (unknown, daily quota, duplicate content) or DingTalk
 *   never confirmed them, with a hint naming them: the notification is `sent`, but not plainly.
 */
export function judgeUsers(
  call: DingTalkOutcome,
  recipients: readonly RecipientOutcome[],
  unconfirmedBecause: string | null,
): UsersVerdict {
  if (call.kind !== 'ok') return { standing: 'missed', outcome: call };
  const retryable = recipients.filter(canRetryRecipient);
  const heldBack = recipients.filter(
    (recipient) => recipient.outcome !== 'delivered' && recipient.outcome !== 'unconfirmed',
  );
  const unconfirmed = recipients.filter((recipient) => recipient.outcome === 'unconfirmed');
  const reached =
    recipients.filter((recipient) => recipient.outcome === 'delivered').length + unconfirmed.length;
  const errmsg = heldBack.length > 0 ? `Not delivered to ${describe(heldBack)}` : call.errmsg;
  const code = (list: readonly RecipientOutcome[]) => list[0].errcode ?? `${list[0].outcome}_user`;
  if (retryable.length > 0) {
    return {
      standing: 'missed',
      outcome: {
        ...call,
        kind: 'transient',
        errcode: code(retryable),
        errmsg,
        hint: `DingTalk did not deliver the work notification to ${describe(retryable)}; the service sends it to them again (not to the users who have it).`,
      },
    };
  }
  if (reached === 0 && heldBack.length > 0) {
    return {
      standing: 'missed',
      outcome: { ...call, kind: 'permanent', errcode: code(heldBack), errmsg, hint: heldBackHint(heldBack) },
    };
  }
  const notes = [
    heldBack.length > 0 ? heldBackHint(heldBack) : null,
    unconfirmed.length > 0
      ? `DingTalk took the work notification but never confirmed it reached ${names(unconfirmed)} (${unconfirmedBecause ?? 'no result'}).`
      : null,
  ].filter((note): note is string => note !== null);
  return {
    standing: heldBack.length > 0 ? 'partial' : unconfirmed.length > 0 ? 'unconfirmed' : 'sent',
    outcome: { ...call, errmsg, hint: notes.length > 0 ? notes.join(' ') : call.hint },
  };
}

const REASONS: Record<string, string> = {
  '143103': "the app's per-minute quota",
  '143104': "the app's per-minute quota",
  '143105': "the user's daily quota of work notifications (500 a day)",
  '143106': 'the same content already went to the user today (DingTalk drops repeats for a day)',
};

function reason(recipient: RecipientOutcome): string {
  switch (recipient.outcome) {
    case 'invalid':
      return 'unknown to the organisation';
    case 'forbidden':
      return recipient.errcode
        ? `${REASONS[recipient.errcode] ?? 'a DingTalk limit'}, ${recipient.errcode}`
        : 'a DingTalk limit';
    case 'failed':
      return 'failed without a reason';
    case 'unanswered':
      return 'the send had no answer';
    case 'delivered':
    case 'unconfirmed':
      return recipient.outcome;
  }
}

function heldBackHint(heldBack: readonly RecipientOutcome[]): string {
  return `DingTalk accepted the work notification but did not deliver it to ${describe(heldBack)}; sending it again would not reach them (the recipients list says why).`;
}

/** `a (reason), b (reason)`, at most ten users named. */
function describe(recipients: readonly RecipientOutcome[]): string {
  const shown = recipients.slice(0, 10).map((recipient) => `${recipient.userId} (${reason(recipient)})`);
  const more = recipients.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

function names(recipients: readonly RecipientOutcome[]): string {
  const shown = recipients.slice(0, 10).map((recipient) => recipient.userId);
  const more = recipients.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}
