import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { DingTalkAppController } from './dingtalk-app.controller';
import { DingTalkAppRepository } from './dingtalk-app.repository';
import { DingTalkAppService } from './dingtalk-app.service';
import { DingTalkApp } from './entities/dingtalk-app.entity';

/** The chain's DingTalk apps (docs/dingtalk-apps.md): stream bots refer to one by `app_id`. */
@Module({
  imports: [TypeOrmModule.forFeature([DingTalkApp])],
  controllers: [DingTalkAppController],
  providers: [DingTalkAppService, DingTalkAppRepository, SecretBox],
  exports: [DingTalkAppService],
})
export class DingTalkAppModule {}
