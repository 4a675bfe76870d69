import { Module } from '@nestjs/common';
import { AppMessagingClient } from './app-messaging.client';
import { AppTokenService } from './app-token.service';
import { CardClient } from './card.client';
import { DingTalkHttp } from './dingtalk-http';
import { StreamGatewayClient } from './stream/stream-gateway.client';
import { UserDirectoryClient } from './user-directory.client';
import { StreamTransport } from './stream/stream-transport';
import { WsStreamTransport } from './stream/ws-stream.transport';
import { WebhookClient } from './webhook.client';

/** DingTalk's wire formats in one place: signing, request bodies, answer classification, tokens. */
@Module({
  providers: [
    DingTalkHttp,
    AppTokenService,
    WebhookClient,
    AppMessagingClient,
    CardClient,
    UserDirectoryClient,
    StreamGatewayClient,
    { provide: StreamTransport, useClass: WsStreamTransport },
  ],
  exports: [
    WebhookClient,
    AppMessagingClient,
    CardClient,
    UserDirectoryClient,
    AppTokenService,
    DingTalkHttp,
    StreamTransport,
  ],
})
export class DingTalkModule {}
