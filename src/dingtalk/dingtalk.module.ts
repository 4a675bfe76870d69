import { Module } from '@nestjs/common';
import { AppMessagingClient } from './app-messaging.client';
import { AppTokenService } from './app-token.service';
import { DingTalkHttp } from './dingtalk-http';
import { WebhookClient } from './webhook.client';

/** DingTalk's wire formats in one place: signing, request bodies, answer classification, tokens. */
@Module({
  providers: [DingTalkHttp, AppTokenService, WebhookClient, AppMessagingClient],
  exports: [WebhookClient, AppMessagingClient, AppTokenService, DingTalkHttp],
})
export class DingTalkModule {}
