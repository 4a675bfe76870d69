import { describe, expect, it } from 'vitest';
import { DingTalkOutcome } from './dingtalk-outcome';
import { canRetryRecipient, oneToOneRecipients, readSendResult } from './recipient-outcomes';

describe('readSendResult (getsendresult, docs/dingtalk/work-notifications.md)', () => {
  const answer = (sendResult: Record<string, unknown>) => ({
    errcode: 0,
    errmsg: 'ok',
    send_result: sendResult,
  });

  it('sorts each asked-for user into one outcome, with the forbidden_list code, in the order asked', () => {
    const read = readSendResult(
      answer({
        invalid_user_id_list: ['ghost'],
        forbidden_user_id_list: ['busy', 'twice'],
        failed_user_id_list: ['flaky'],
        read_user_id_list: ['reader'],
        unread_user_id_list: 'later,other',
        forbidden_list: [
          { code: '143105', count: 1, userid: 'busy' },
          { code: 143106, count: 1, userid: 'twice' },
          { code: '143104', count: 1, userid: 'minute' },
        ],
      }),
      ['reader', 'later', 'busy', 'twice', 'minute', 'ghost', 'flaky', 'pending'],
    );
    expect(read).toEqual([
      { userId: 'reader', outcome: 'delivered', errcode: null },
      { userId: 'later', outcome: 'delivered', errcode: null },
      { userId: 'busy', outcome: 'forbidden', errcode: '143105' },
      { userId: 'twice', outcome: 'forbidden', errcode: '143106' },
      { userId: 'minute', outcome: 'forbidden', errcode: '143104' },
      { userId: 'ghost', outcome: 'invalid', errcode: null },
      { userId: 'flaky', outcome: 'failed', errcode: null },
    ]);
    // Retried: a failure without a reason and the per-minute quota; never the daily quota or a repeat.
    expect(read!.filter(canRetryRecipient).map((recipient) => recipient.userId)).toEqual(['minute', 'flaky']);
  });

  it('is null for an answer that is no result', () => {
    expect(readSendResult({ errcode: 40035, errmsg: '不合法的参数 task_id' }, ['a'])).toBeNull();
    expect(readSendResult(undefined, ['a'])).toBeNull();
    expect(readSendResult({ errcode: 0 }, ['a'])).toBeNull();
  });
});

describe('oneToOneRecipients (oToMessages/batchSend, docs/dingtalk/robot-messages.md)', () => {
  const answered = (kind: DingTalkOutcome['kind'], undelivered?: DingTalkOutcome['undelivered']) => ({
    kind,
    httpStatus: 200,
    errcode: null,
    errmsg: '',
    hint: null,
    latencyMs: 1,
    undelivered,
  });

  it('names the throttled and unknown users; the others got it; only the throttled are worth another try', () => {
    const recipients = oneToOneRecipients(
      ['a', 'busy', 'ghost'],
      answered('permanent', { flowControlled: ['busy'], invalid: ['ghost'] }),
    );
    expect(recipients).toEqual([
      { userId: 'a', outcome: 'delivered', errcode: null },
      { userId: 'busy', outcome: 'forbidden', errcode: 'flowControlled' },
      { userId: 'ghost', outcome: 'invalid', errcode: null },
    ]);
    expect(recipients!.filter(canRetryRecipient).map((recipient) => recipient.userId)).toEqual(['busy']);
    expect(oneToOneRecipients(['a'], answered('ok'))).toEqual([
      { userId: 'a', outcome: 'delivered', errcode: null },
    ]);
  });

  it('is null when the call failed as a whole', () => {
    expect(oneToOneRecipients(['a'], answered('transient'))).toBeNull();
  });
});
