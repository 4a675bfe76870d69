import { Body, Controller, Get, HttpStatus, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import {
  ApiEnvelope,
  ApiErrors,
  ApiJsonBody,
  fieldError,
  STANDARD_ERRORS,
} from '../common/http/api-docs.decorators';
import { INT4_MAX, IntIdParam } from '../common/http/strict-integer';
import { ConfirmationSettingsService } from './confirmation-settings.service';
import { ConfirmationSettingsResponse, UpdateConfirmationSettingsDto } from './dto/confirmation-settings.dto';

const notFound = { status: HttpStatus.NOT_FOUND, msg: 'Store 42 not found' };
const badStore = fieldError('store_id', 'store_id must be a whole number from 1 to 2147483647 (digits only)');

@ApiTags('kitchen-confirmation')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@ApiParam({
  name: 'store_id',
  description: 'The store (an admin: any; a store admin: its own)',
  schema: { type: 'integer', format: 'int32', minimum: 1, maximum: INT4_MAX, example: 1 },
})
@Controller('stores/:store_id/confirmation-settings')
export class ConfirmationSettingsController {
  constructor(private readonly settings: ConfirmationSettingsService) {}

  @Get()
  @ApiOperation({
    summary: "A store's kitchen confirmation: buttons, reminder and escalation (docs/confirmation.md)",
    description:
      'A store that never set them answers the defaults: off, buttons 收到 and 已备好, no deadlines.',
  })
  @ApiErrors(badStore, notFound)
  @ApiEnvelope(ConfirmationSettingsResponse)
  get(
    @CurrentUser() user: AuthUser,
    @IntIdParam('store_id') storeId: number,
  ): Promise<ConfirmationSettingsResponse> {
    return this.settings.get(user, storeId);
  }

  @Put()
  @ApiOperation({
    summary: "Change a store's kitchen confirmation",
    description:
      "Any subset of the settings; the others stay. They apply to the store's reports written from now on (a " +
      "report keeps its deadlines; its reminder's mentions and its escalation's bot are read when they go).",
  })
  @ApiJsonBody(
    UpdateConfirmationSettingsDto,
    {
      tenAndTwenty: {
        summary:
          'Confirm every report; remind after 10 minutes with chef01 @mentioned, escalate to bot 7 after 20',
        value: {
          enabled: true,
          reminder_after_minutes: 10,
          reminder_at_user_ids: ['chef01'],
          reminder_at_mobiles: ['13800000000'],
          escalation_after_minutes: 20,
          escalation_bot_id: 1,
        },
      },
      buttons: {
        summary: 'Three steps',
        value: {
          buttons: [
            { action: 'received', label: '收到' },
            { action: 'cooking', label: '制作中' },
            { action: 'ready', label: '已备好' },
          ],
        },
      },
      off: { summary: 'Stop asking', value: { enabled: false } },
    },
    fieldError(
      'escalation_after_minutes',
      'escalation_after_minutes (5) must be later than reminder_after_minutes (10)',
    ),
    fieldError('escalation_bot_id', 'escalation_bot_id: no DingTalk bot 7'),
    badStore,
    notFound,
  )
  @ApiEnvelope(ConfirmationSettingsResponse)
  update(
    @CurrentUser() user: AuthUser,
    @IntIdParam('store_id') storeId: number,
    @Body() request: UpdateConfirmationSettingsDto,
  ): Promise<ConfirmationSettingsResponse> {
    return this.settings.update(user, storeId, request);
  }
}
