import { Injectable } from '@nestjs/common';
import { StreamConnectionChangedEvent } from '../../events/bot-health.events';
import { AppEvent, OnAppEvent } from '../../events/app-events';
import { BotHealthService } from '../bot-health.service';
import { connectionSignal } from '../health-signals';

/** A stream bot's health follows its connection: reconnecting, refused credentials, connected again. */
@Injectable()
export class ConnectionHealthListener {
  constructor(private readonly health: BotHealthService) {}

  @OnAppEvent(AppEvent.StreamConnectionChanged)
  async onChanged(change: StreamConnectionChangedEvent): Promise<void> {
    await this.health.observe(change.botId, 'connection', change.at, (previous) =>
      connectionSignal(change, previous),
    );
  }
}
