import { describe, expect, it } from 'vitest';
import { DingTalkOutcome } from '../../../dingtalk/dingtalk-outcome';
import { RecipientOutcome } from '../../../dingtalk/recipient-outcomes';
import { judgeUsers, mergeRecipients, usersToReach } from './work-notification-recipients';

const ok: DingTalkOutcome = {
  kind: 'ok',
  httpStatus: 200,
  errcode: 0,
  errmsg: 'ok',
  hint: null,
  latencyMs: 5,
};
const user = (userId: string, outcome: RecipientOutcome['outcome'], errcode: string | null = null) => ({
  userId,
  outcome,
  errcode,
});

describe('work notification recipients', () => {
  it('sends again only to users without an outcome or with one a later send can change', () => {
    const earlier = [
      user('a', 'delivered'),
      user('b', 'failed'),
      user('c', 'forbidden', '143105'),
      user('d', 'forbidden', '143103'),
      user('e', 'unconfirmed'),
      user('f', 'invalid'),
    ];
    expect(usersToReach(['a', 'b', 'c', 'd', 'e', 'f', 'g'], earlier)).toEqual(['b', 'd', 'g']);
    expect(usersToReach(['a', 'b'], null)).toEqual(['a', 'b']);
  });

  it('merges the new outcomes over the earlier ones, for the users the bot has now', () => {
    expect(
      mergeRecipients(
        ['a', 'b'],
        [user('a', 'delivered'), user('b', 'failed'), user('gone', 'failed')],
        [user('b', 'delivered')],
      ),
    ).toEqual([user('a', 'delivered'), user('b', 'delivered')]);
    expect(mergeRecipients(['a'], null, null)).toBeNull();
  });

  it('counts a repeat dropped as the same content (143106) as delivered only after a send with no known outcome', () => {
    const earlier = [user('a', 'unanswered'), user('b', 'unconfirmed'), user('c', 'failed')];
    expect(usersToReach(['a', 'b', 'c', 'd'], earlier)).toEqual(['a', 'c', 'd']);
    const fresh = ['a', 'b', 'c', 'd'].map((id) => user(id, 'forbidden', '143106'));
    expect(mergeRecipients(['a', 'b', 'c', 'd'], earlier, fresh)).toEqual([
      user('a', 'delivered'),
      user('b', 'delivered'),
      // DingTalk said it failed c, and d was never sent to: the content came from another notification.
      user('c', 'forbidden', '143106'),
      user('d', 'forbidden', '143106'),
    ]);
  });

  it('is sent when everyone got it, partial with a hint when some never can, failed when nobody did', () => {
    expect(judgeUsers(ok, [user('a', 'delivered')], null)).toEqual({ standing: 'sent', outcome: ok });
    const partial = judgeUsers(ok, [user('a', 'delivered'), user('b', 'forbidden', '143105')], null);
    expect(partial.standing).toBe('partial');
    expect(partial.outcome).toMatchObject({ kind: 'ok', errmsg: expect.stringContaining('b (') });
    expect(partial.outcome.hint).toContain('143105');
    const nobody = judgeUsers(ok, [user('a', 'invalid'), user('b', 'forbidden', '143106')], null);
    expect(nobody).toMatchObject({
      standing: 'missed',
      outcome: { kind: 'permanent', errcode: 'invalid_user' },
    });
  });

  it('retries while some user can still get it, and names them', () => {
    const verdict = judgeUsers(ok, [user('a', 'delivered'), user('b', 'failed')], null);
    expect(verdict).toMatchObject({
      standing: 'missed',
      outcome: { kind: 'transient', errcode: 'failed_user' },
    });
    expect(verdict.outcome.hint).toContain('b (failed without a reason)');
  });

  it('says when DingTalk never confirmed, without retrying', () => {
    const verdict = judgeUsers(ok, [user('a', 'unconfirmed')], 'getsendresult answered HTTP 500');
    expect(verdict).toMatchObject({ standing: 'unconfirmed', outcome: { kind: 'ok' } });
    expect(verdict.outcome.hint).toContain('HTTP 500');
  });

  it('passes a failed send call through', () => {
    const busy: DingTalkOutcome = { ...ok, kind: 'transient', errcode: -1, errmsg: '系统繁忙' };
    expect(judgeUsers(busy, [], null)).toEqual({ standing: 'missed', outcome: busy });
  });
});
