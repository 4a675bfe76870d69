import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AppCredentials } from './app-credentials';
import { AppTokenService, withAppToken } from './app-token.service';
import { DingTalkHttp } from './dingtalk-http';
import { DingTalkOutcome } from './dingtalk-outcome';
import { classifyOldApiAnswer } from './old-api-answers';

/** A user's name as the organisation's address book has it, or why it could not be read. */
export interface UserNameResult {
  name: string | null;
  outcome: DingTalkOutcome;
}

/**
 * The organisation's address book as an app reads it: `POST /topapi/v2/user/get` (the old API, token in the query),
 * which needs the app's permission 成员信息读权限 (qyapi_get_member). Only a user's name is read, to say who pressed
 * a card's button (a card callback names the userid only: docs/dingtalk/cards.md).
 */
@Injectable()
export class UserDirectoryClient {
  constructor(
    private readonly http: DingTalkHttp,
    private readonly tokens: AppTokenService,
    private readonly config: AppConfig,
  ) {}

  async userName(app: AppCredentials, userId: string, signal?: AbortSignal): Promise<UserNameResult> {
    let name: string | null = null;
    const outcome = await withAppToken(this.tokens, app, 'oapi', async (token) => {
      const url = new URL('/topapi/v2/user/get', this.config.dingtalk.oapiUrl);
      url.searchParams.set('access_token', token);
      const answer = await this.http.post(url.href, { userid: userId, language: 'zh_CN' }, {}, signal);
      const classified = classifyOldApiAnswer(answer);
      const read = (answer.json as { result?: { name?: unknown } } | undefined)?.result?.name;
      if (classified.kind === 'ok' && typeof read === 'string' && read.trim() !== '') name = read.trim();
      return classified;
    });
    return { name, outcome };
  }
}
