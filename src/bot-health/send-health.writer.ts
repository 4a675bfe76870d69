import { Injectable } from '@nestjs/common';
import { SendHealthChange, SendHealthWrite } from '../notify/send-health';
import { BotHealthService } from './bot-health.service';
import { sendHealthCtes } from './health-sql';

/**
 * What DingTalk's answers say of the bots, written by the delivery queue's recording statement (the notify module's
 * SendHealthWrite port, bound in src/composition.module.ts): the SQL of health-sql.ts, and the changes it made told
 * once committed.
 */
@Injectable()
export class SendHealthWriter implements SendHealthWrite {
  constructor(private readonly health: BotHealthService) {}

  ctes(answers: string): string {
    return sendHealthCtes(answers);
  }

  async changed(changes: readonly SendHealthChange[]): Promise<void> {
    for (const change of changes) {
      await this.health.announce({
        botId: change.bot_id,
        was: change.was,
        health: change.health,
        reason: change.reason,
        detail: change.detail,
        hint: change.hint,
        since: change.since.getTime(),
      });
    }
  }
}
