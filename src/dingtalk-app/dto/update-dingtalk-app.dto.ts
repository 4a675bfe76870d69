import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateDingTalkAppDto } from './create-dingtalk-app.dto';

/**
 * Any of an app's name, secret and AgentId. Its client_id is the app itself, so it does not change: another
 * client_id is another app (POST /dingtalk-apps, then point the bots at it).
 */
export class UpdateDingTalkAppDto extends PartialType(
  OmitType(CreateDingTalkAppDto, ['client_id'] as const),
) {}
