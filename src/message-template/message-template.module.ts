import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessageTemplate } from './entities/message-template.entity';
import { MessageTemplateController } from './message-template.controller';
import { MessageTemplateRepository } from './message-template.repository';
import { MessageTemplateService } from './message-template.service';

@Module({
  imports: [TypeOrmModule.forFeature([MessageTemplate])],
  controllers: [MessageTemplateController],
  providers: [MessageTemplateService, MessageTemplateRepository],
  exports: [MessageTemplateService, MessageTemplateRepository],
})
export class MessageTemplateModule {}
