import { DINGTALK_HINTS as HINTS } from './dingtalk-hints';
import { HttpAnswer } from './dingtalk-http';
import { DingTalkOutcome, outcome } from './dingtalk-outcome';
import { classifyNewApiAnswer } from './new-api-answers';

// The answers of DingTalk's card API (docs/dingtalk/cards.md): the new API's, its own `param.*` refusals, and a
// delivery that answers HTTP 200 while some of its spaces failed.

/** Where a card goes: a group the app's robot is in, or a user's one-to-one chat with the robot. */
export type CardSpaceType = 'IM_GROUP' | 'IM_ROBOT';

export interface CardSpace {
  spaceType: CardSpaceType;
  /** The group's openConversationId, or the user's userid. */
  spaceId: string;
}

/** What DingTalk said of one space of a delivery. */
export interface CardDelivery {
  space: CardSpace;
  delivered: boolean;
  /** DingTalk's `errorMsg` for a space it did not deliver to; null when delivered. */
  error: string | null;
}

/** DingTalk's answer to a second creation of one outTrackId (the simulator's; undocumented: docs/dingtalk/cards.md). */
export const OUT_TRACK_ID_EXISTS = 'param.outTrackIdExist';

/**
 * A card call's answer as an outcome: the new API's classification, with the card API's own refusals made
 * `permanent` with what to fix (the new API reads an unknown code as worth retrying), and an HTTP 200 that says
 * `success: false` retried.
 */
export function classifyCardAnswer(answer: HttpAnswer): DingTalkOutcome {
  const classified = classifyNewApiAnswer(answer);
  if (classified.kind === 'ok') {
    const success = (answer.json as { success?: unknown } | undefined)?.success;
    return success === false
      ? outcome('transient', answer, 'success_false', 'DingTalk answered success: false', HINTS.busy)
      : classified;
  }
  const code = typeof classified.errcode === 'string' ? classified.errcode : '';
  if (!code.startsWith('param.')) return classified;
  const permanent = (hint: string) => ({ ...classified, kind: 'permanent' as const, hint });
  switch (code) {
    case 'param.templateUnpublished':
      return permanent(
        "DingTalk does not let the app use this card template (param.templateUnpublished): publish the template in the card platform, link it to the bot's app, and check the bot's card_template_id (docs/dingtalk/cards/README.md).",
      );
    case 'param.cardInstanceNotExist':
      return permanent(
        'DingTalk has no card of this outTrackId for the app (param.cardInstanceNotExist): it was never created, or by another app.',
      );
    default:
      return permanent(HINTS.badRequest);
  }
}

/**
 * The per-space results of a delivery (`deliver`'s `result`, `createAndDeliver`'s `result.deliverResults`): one entry
 * per space, `success: false` with an `errorMsg` inside the HTTP 200 for a space that failed. Every space asked for
 * is judged; one DingTalk says nothing of is not delivered.
 */
export function readDeliveries(results: unknown, asked: readonly CardSpace[]): CardDelivery[] {
  const entries = Array.isArray(results) ? (results as unknown[]) : [];
  return asked.map((space) => {
    const entry = entries.find((item) => {
      const read = item as { spaceType?: unknown; spaceId?: unknown } | null;
      return (
        typeof read?.spaceType === 'string' &&
        read.spaceType.toUpperCase() === space.spaceType &&
        read.spaceId === space.spaceId
      );
    }) as { success?: unknown; errorMsg?: unknown } | undefined;
    if (!entry) return { space, delivered: false, error: 'DingTalk answered no result for this space' };
    if (entry.success === true) return { space, delivered: true, error: null };
    const error = typeof entry.errorMsg === 'string' && entry.errorMsg !== '' ? entry.errorMsg : 'failed';
    return { space, delivered: false, error };
  });
}

/**
 * A delivery's outcome from its spaces: `ok` when every space has the card. A space DingTalk refused as missing (the
 * group, the robot in it, the user: `…不存在`) needs someone to fix the bot, so `permanent`; any other failure is
 * retried (the card exists already: the retry delivers it only).
 */
export function deliveryOutcome(call: DingTalkOutcome, deliveries: readonly CardDelivery[]): DingTalkOutcome {
  const failed = deliveries.filter((delivery) => !delivery.delivered);
  if (call.kind !== 'ok' || failed.length === 0) return call;
  const named = failed.map((d) => `${d.space.spaceType}.${d.space.spaceId} (${d.error})`).join(', ');
  const errmsg = `Card not delivered to ${named}`;
  const missing = failed.some((delivery) => /不存在|not ?exist/i.test(delivery.error ?? ''));
  if (missing) {
    return {
      ...call,
      kind: 'permanent',
      errcode: 'deliverResults',
      errmsg,
      hint: `DingTalk created the card but did not deliver it to ${named}: check that the bot's group (open_conversation_id) exists and the app's robot is in it. A resend delivers the same card.`,
    };
  }
  return {
    ...call,
    kind: 'transient',
    errcode: 'deliverResults',
    errmsg,
    hint: `DingTalk created the card but did not deliver it to ${named}; the service delivers it again (the same card, not a second one).`,
  };
}
