import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { StaffMessageInput } from '../../simulator/stream/bot-message';
import { ManualClock } from '../support/clocks';
import { waitFor, waitForValue } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { givenStreamBot } from '../support/given';

interface Row {
  msg_type: string;
  sender_staff_id: string | null;
  reply_via: string | null;
  reply_error: string | null;
  handled_at: Date | null;
}

/**
 * Staff send more than text (docs/dingtalk/stream-mode.md, Bot messages): pictures, rich text, voice, video and
 * files arrive with `content` and no `text`, and members of another organisation arrive without a userid. The bot
 * answers the first with its help text rather than an error, and still serves the second.
 */
describe('bot messages that are not plain text from staff, against the simulator', () => {
  const clock = new ManualClock(Date.now());
  const { sim, t } = useTestApp({ simulator: { stream: { redeliveryDelayMs: null } }, clock });
  let app: SimApp;
  const STORE = 71;

  beforeAll(async () => {
    app = sim.state.registerApp();
    await givenStreamBot(t, app, { name: '七十一号店机器人', store_id: STORE });
    await waitFor(() => sim.stream.connections(app.clientId).length === 1, 'the bot connected');
  });

  /** Writes at the simulator and waits until the service has handled (and answered) the message. */
  const handled = async (message: Omit<StaffMessageInput, 'clientId'>) => {
    const written = sim.stream.sendBotMessage({ clientId: app.clientId, ...message });
    const row = await waitForValue(
      async () => {
        const rows = await t.app
          .get(DataSource)
          .query<Row[]>('SELECT * FROM received_bot_messages WHERE msg_id = $1', [written.msgId]);
        return rows[0]?.handled_at ? rows[0] : false;
      },
      `the ${message.msgtype ?? 'text'} message handled`,
    );
    return { written, row };
  };
  const replies = (conversationId: string) =>
    sim.state.received({ channel: 'session', target: conversationId, accepted: true });

  it.each(['picture', 'richText', 'audio', 'video', 'file'] as const)(
    'answers a %s with the help text, in its conversation',
    async (msgtype) => {
      const { written, row } = await handled({
        conversationType: '1',
        senderStaffId: `cook-${msgtype}`,
        msgtype,
        text: msgtype === 'file' ? '报菜 宫保鸡丁 5 份.xlsx' : '',
      });
      expect(row).toMatchObject({ msg_type: msgtype, reply_via: 'session', reply_error: null });
      const [reply] = replies(written.conversationId);
      expect(reply.text).toContain('可用命令');
      const reports = await t.request('GET', `/api/v1/menu-reports?store_id=${STORE}`);
      expect(reports.body.data.total).toBe(0);
    },
  );

  it('serves a member of another organisation (no senderStaffId) in a group', async () => {
    const { written, row } = await handled({
      conversationType: '2',
      conversationTitle: '供应商对接群',
      external: true,
      senderNick: '供应商老王',
      text: '今日',
    });
    expect(row).toMatchObject({ sender_staff_id: null, reply_via: 'session', reply_error: null });
    const [reply] = replies(written.conversationId);
    expect(reply.errcode).toBe(0);
  });
});
