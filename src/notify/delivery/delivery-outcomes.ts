import { DeliveryOutcome } from '../../events/bot-health.events';
import { SendResult } from './queue/claimed-notification';

/** Recorded sends as the bots' health reads them (send-health.ts): DingTalk's answer, what became of the row. */
export function deliveryOutcomes(results: readonly SendResult[]): DeliveryOutcome[] {
  return results.map(({ claimed, outcome, verdict, finishedAt }) => ({
    botId: claimed.botId,
    at: finishedAt,
    outcome: outcome.kind,
    status: verdict.status,
    detail:
      outcome.kind === 'ok'
        ? null
        : `${outcome.errcode === null ? '' : `errcode ${outcome.errcode}: `}${outcome.errmsg}`.slice(0, 500),
    hint: verdict.hint,
    pause: verdict.pause && { scope: verdict.pause.scope, until: finishedAt + verdict.pause.ms },
  }));
}
