import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { AppCredentials } from '../dingtalk/app-credentials';
import { DingTalkAppService } from '../dingtalk-app/dingtalk-app.service';
import { DingTalkApp } from '../dingtalk-app/entities/dingtalk-app.entity';
import { BotFields } from './bot-fields';
import { CreateDingTalkBotDto } from './dto/create-dingtalk-bot.dto';

type BotRequest = Partial<CreateDingTalkBotDto>;

/**
 * A stream bot's app (docs/dingtalk-apps.md), as its request names it: by `app_id`, or inline by client_id and
 * client_secret as before apps were a resource, which finds the app (the secret must be its own) or, for an admin,
 * adds it. A store admin may so choose any app, but never add one, nor read or change its secret.
 */
@Injectable()
export class BotApps {
  constructor(private readonly apps: DingTalkAppService) {}

  /**
   * A PUT that gives client_secret without client_id means the bot's current app (as it meant the bot's own
   * client_id before): a restated secret, which must still be the app's.
   */
  completeRequest<T extends BotRequest>(request: T, current: DingTalkApp | null): T {
    if (!current || request.client_secret == null || request.client_id != null) return request;
    return { ...request, client_id: current.clientId };
  }

  /**
   * In the bot's transaction: the app the checked bot `next` uses, found or added from the request's inline
   * credentials (then `next.appId` is set to it), or read by `next.appId`; null for a bot without one.
   */
  async resolve(
    manager: EntityManager,
    request: BotRequest,
    next: BotFields,
    caller: AuthUser,
  ): Promise<DingTalkApp | null> {
    if (request.client_id != null && request.client_secret != null) {
      const app = await this.apps.findOrAdd(
        manager,
        {
          clientId: request.client_id,
          clientSecret: request.client_secret,
          agentId: request.agent_id ?? null,
        },
        caller,
      );
      next.appId = app.id;
      return app;
    }
    if (next.appId === null) return null;
    const app = await this.apps.find(next.appId, manager);
    if (!app) throw unknownApp(next.appId);
    return app;
  }

  /**
   * In the transaction that saved `bot`: its app learns its store (create, a move to the app or to another store; a
   * no-op otherwise), so that an app once shared by two stores stays shared whatever bots are deleted later. True when
   * this write made the app shared.
   */
  async attach(manager: EntityManager, bot: { appId: number | null; storeId: number }): Promise<boolean> {
    return bot.appId === null ? false : this.apps.markAttached(manager, bot.appId, bot.storeId);
  }

  /** The app of a stored bot, if it has one. */
  async of(bot: { appId: number | null }, manager?: EntityManager): Promise<DingTalkApp | null> {
    return bot.appId === null ? null : this.apps.find(bot.appId, manager);
  }

  /** An app's credentials, its secret opened (the app module owns its sealing). */
  credentials(app: DingTalkApp): AppCredentials {
    return this.apps.credentials(app);
  }

  /** The apps of a page of bots, by id. */
  ofAll(bots: ReadonlyArray<{ appId: number | null }>): Promise<Map<number, DingTalkApp>> {
    return this.apps.byIds(bots.flatMap((bot) => (bot.appId === null ? [] : [bot.appId])));
  }
}

/** `app_id` names no app (also: deleted between the check and the write, which the foreign key refuses). */
export function unknownApp(appId: number | null): ValidationFailedException {
  const named = appId === null ? 'app_id' : `app_id ${appId}`;
  return new ValidationFailedException([
    {
      field: 'app_id',
      message: `${named} is not a DingTalk app here (GET /api/v1/dingtalk-apps lists them)`,
    },
  ]);
}
