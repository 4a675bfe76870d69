import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { AppCredentials } from './app-credentials';
import { AppTokenError, AppTokenService, TokenFamily, withAppToken } from './app-token.service';
import { DingTalkHttp, DingTalkNetworkError } from './dingtalk-http';
import { DingTalkOutcome } from './dingtalk-outcome';
import {
  groupMessageBody,
  oneToOneMessageBody,
  sendResultBody,
  workNotificationBody,
} from './message-bodies';
import { classifyRobotSendAnswer } from './new-api-answers';
import { classifyOldApiAnswer } from './old-api-answers';
import { OutgoingMessage } from './outgoing-message';
import { readSendResult, RecipientOutcome } from './recipient-outcomes';

/** A work notification's send, and what became of it for each user (null: the send itself did not succeed). */
export interface WorkNotificationResult {
  outcome: DingTalkOutcome;
  recipients: RecipientOutcome[] | null;
  /** Why some recipients are `unconfirmed` (what the last poll met); null when none is. */
  unconfirmedBecause: string | null;
}

/**
 * Sends as an enterprise internal app: work notifications (old API, docs/dingtalk/work-notifications.md) and robot
 * group messages (new API, docs/dingtalk/robot-messages.md). A refused token is dropped and fetched once more before
 * giving up.
 */
@Injectable()
export class AppMessagingClient {
  constructor(
    private readonly http: DingTalkHttp,
    private readonly tokens: AppTokenService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * `asyncsend_v2` to the given userids, then what became of it for each of them. Success of the send only means
   * DingTalk queued it: past a user's daily quota, or for the same content twice a day, it still answers 0 and the
   * user gets nothing (docs/dingtalk/work-notifications.md). So the send is followed by `getsendresult` polls (the
   * first at once, then after each of DINGTALK_SEND_RESULT_WAITS) until every user is in one of its lists, all within
   * one DINGTALK_TIMEOUT_MS; a user still in none then is `unconfirmed`. Done inside the send rather than by a later
   * reconciliation job: the result recorded for a notification is then final, and a retry knows whom to address.
   */
  async sendWorkNotification(
    app: AppCredentials,
    userIds: readonly string[],
    message: OutgoingMessage,
    signal?: AbortSignal,
  ): Promise<WorkNotificationResult> {
    if (!app.agentId) throw new Error('A work notification needs the app agent_id');
    const agentId = app.agentId;
    let taskId = null as number | null;
    let unanswered = false;
    const outcome = await this.withToken(app, 'oapi', async (token) => {
      const url = new URL('/topapi/message/corpconversation/asyncsend_v2', this.config.dingtalk.oapiUrl);
      url.searchParams.set('access_token', token);
      const answer = await this.http
        .post(url.href, workNotificationBody(agentId, userIds, message), {}, signal)
        .catch((error: unknown) => {
          unanswered = error instanceof DingTalkNetworkError;
          throw error;
        });
      const classified = classifyOldApiAnswer(answer);
      const task = (answer.json as { task_id?: unknown } | undefined)?.task_id;
      if (classified.kind === 'ok' && (typeof task === 'number' || typeof task === 'string')) {
        taskId = Number(task);
      }
      return classified;
    });
    if (outcome.kind !== 'ok') {
      // No answer: DingTalk may have delivered it. The users are recorded so, and the retry that goes to them can
      // tell its 143106 (the same content today) from a real drop (arrivedEarlier in recipient-outcomes.ts).
      const recipients = unanswered
        ? userIds.map((userId): RecipientOutcome => ({ userId, outcome: 'unanswered', errcode: null }))
        : null;
      return { outcome, recipients, unconfirmedBecause: null };
    }
    if (taskId === null || !Number.isSafeInteger(taskId)) {
      return {
        outcome,
        recipients: userIds.map((userId) => ({ userId, outcome: 'unconfirmed', errcode: null })),
        unconfirmedBecause: 'DingTalk answered no task_id to ask about',
      };
    }
    return { outcome, ...(await this.sendResult(app, agentId, taskId, userIds, signal)) };
  }

  /** `/v1.0/robot/groupMessages/send` to a group the app's robot is in. */
  sendGroupMessage(
    app: AppCredentials,
    openConversationId: string,
    message: OutgoingMessage,
    signal?: AbortSignal,
  ): Promise<DingTalkOutcome> {
    return this.withToken(app, 'api', async (token) => {
      const answer = await this.http.post(
        `${this.config.dingtalk.apiUrl}/v1.0/robot/groupMessages/send`,
        groupMessageBody(app.clientId, openConversationId, message),
        { 'x-acs-dingtalk-access-token': token },
        signal,
      );
      return classifyRobotSendAnswer(answer);
    });
  }

  /** `/v1.0/robot/oToMessages/batchSend`: the app's robot writes into its one-to-one chats with these users. */
  sendOneToOne(
    app: AppCredentials,
    userIds: readonly string[],
    message: OutgoingMessage,
  ): Promise<DingTalkOutcome> {
    return this.withToken(app, 'api', async (token) => {
      const answer = await this.http.post(
        `${this.config.dingtalk.apiUrl}/v1.0/robot/oToMessages/batchSend`,
        oneToOneMessageBody(app.clientId, userIds, message),
        { 'x-acs-dingtalk-access-token': token },
      );
      return classifyRobotSendAnswer(answer);
    });
  }

  /** The `getsendresult` polls of one work notification (see sendWorkNotification). */
  private async sendResult(
    app: AppCredentials,
    agentId: string,
    taskId: number,
    userIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Omit<WorkNotificationResult, 'outcome'>> {
    const deadline = this.clock.now() + this.config.dingtalk.timeoutMs;
    const waits = this.config.dingtalk.sendResultWaitsMs;
    let known: RecipientOutcome[] = [];
    let problem: string | null;
    for (let poll = 0; ; poll++) {
      try {
        const token = await this.tokens.token(app, 'oapi');
        const url = new URL('/topapi/message/corpconversation/getsendresult', this.config.dingtalk.oapiUrl);
        url.searchParams.set('access_token', token);
        const budget = AbortSignal.timeout(Math.max(1, deadline - this.clock.now()));
        const answer = await this.http.post(
          url.href,
          sendResultBody(agentId, taskId),
          {},
          signal ? AbortSignal.any([signal, budget]) : budget,
        );
        const read = readSendResult(answer.json, userIds);
        if (read) {
          known = read;
          problem = null;
        } else {
          const refusal = classifyOldApiAnswer(answer);
          if (refusal.kind === 'token_expired') this.tokens.invalidate(app, 'oapi');
          problem = `getsendresult answered ${refusal.errcode ?? `HTTP ${answer.status}`} ${refusal.errmsg}`;
        }
      } catch (error) {
        if (!(error instanceof AppTokenError) && !(error instanceof DingTalkNetworkError)) throw error;
        problem = `getsendresult: ${error.message}`;
      }
      if (known.length === userIds.length) break;
      const wait = waits[poll];
      if (wait === undefined || signal?.aborted || this.clock.now() + wait >= deadline) break;
      await this.clock.sleep(wait, signal);
    }
    const byUser = new Map(known.map((recipient) => [recipient.userId, recipient]));
    const recipients = userIds.map(
      (userId): RecipientOutcome => byUser.get(userId) ?? { userId, outcome: 'unconfirmed', errcode: null },
    );
    const unconfirmed = recipients.some((recipient) => recipient.outcome === 'unconfirmed');
    return {
      recipients,
      unconfirmedBecause: unconfirmed
        ? (problem ?? 'DingTalk had not sorted every user into a result list when the polls ran out')
        : null,
    };
  }

  private withToken(
    app: AppCredentials,
    family: TokenFamily,
    call: (token: string) => Promise<DingTalkOutcome>,
  ): Promise<DingTalkOutcome> {
    return withAppToken(this.tokens, app, family, call);
  }
}
