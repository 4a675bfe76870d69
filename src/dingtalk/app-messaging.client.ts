import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AppCredentials } from './app-credentials';
import { AppTokenError, AppTokenService, TokenFamily } from './app-token.service';
import { DingTalkHttp, DingTalkNetworkError } from './dingtalk-http';
import {
  classifyOldApiAnswer,
  classifyRobotSendAnswer,
  DingTalkOutcome,
  networkOutcome,
} from './dingtalk-outcome';
import { groupMessageBody, oneToOneMessageBody, workNotificationBody } from './message-bodies';
import { OutgoingMessage } from './outgoing-message';

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
  ) {}

  /** `asyncsend_v2` to the given userids. Success only means DingTalk queued it (see work-notifications.md). */
  sendWorkNotification(
    app: AppCredentials,
    userIds: readonly string[],
    message: OutgoingMessage,
    signal?: AbortSignal,
  ): Promise<DingTalkOutcome> {
    if (!app.agentId) throw new Error('A work notification needs the app agent_id');
    const agentId = app.agentId;
    return this.withToken(app, 'oapi', async (token) => {
      const url = new URL('/topapi/message/corpconversation/asyncsend_v2', this.config.dingtalk.oapiUrl);
      url.searchParams.set('access_token', token);
      return classifyOldApiAnswer(
        await this.http.post(url.href, workNotificationBody(agentId, userIds, message), {}, signal),
      );
    });
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

  private async withToken(
    app: AppCredentials,
    family: TokenFamily,
    call: (token: string) => Promise<DingTalkOutcome>,
  ): Promise<DingTalkOutcome> {
    try {
      const first = await call(await this.tokens.token(app, family));
      if (first.kind !== 'token_expired') return first;
      this.tokens.invalidate(app, family);
      const second = await call(await this.tokens.token(app, family));
      // Refused twice in a row: not an expiry but a token DingTalk will not take; retry later.
      return second.kind === 'token_expired' ? { ...second, kind: 'transient' } : second;
    } catch (error) {
      if (error instanceof AppTokenError) return error.outcome;
      if (error instanceof DingTalkNetworkError) return networkOutcome(error);
      throw error;
    }
  }
}
