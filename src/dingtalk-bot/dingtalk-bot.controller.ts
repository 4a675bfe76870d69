import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  Put,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CreatesInStore } from '../auth/creates-in-store';
import { CurrentUser } from '../auth/current-user.decorator';
import {
  ApiEnvelope,
  ApiErrors,
  ApiIdParam,
  ApiJsonBody,
  ApiPageEnvelope,
  fieldError,
  STANDARD_ERRORS,
} from '../common/http/api-docs.decorators';
import { DeletedResponse } from '../common/http/deleted.response';
import { Page } from '../common/http/pagination.dto';
import { IntIdParam } from '../common/http/strict-integer';
import { BotRulesOnRefusedBodyInterceptor } from './bot-rules.interceptor';
import { BotStatusService } from './bot-status.service';
import { DingTalkBotService } from './dingtalk-bot.service';
import { BotStatusResponse } from './dto/bot-status.response';
import { BotTestResultResponse } from './dto/bot-test-result.response';
import { CreateDingTalkBotDto } from './dto/create-dingtalk-bot.dto';
import { DingTalkBotResponse, SavedDingTalkBotResponse } from './dto/dingtalk-bot.response';
import { ListDingTalkBotsQuery } from './dto/list-dingtalk-bots.query';
import { UpdateDingTalkBotDto } from './dto/update-dingtalk-bot.dto';

const badId = fieldError('id', 'id must be a whole number from 1 to 2147483647 (digits only)');
const notFound = { status: HttpStatus.NOT_FOUND, msg: 'DingTalk bot 42 not found' };
const forbidden = { status: HttpStatus.FORBIDDEN, msg: 'You do not manage store 2' };
/** One bot of an app per group (docs/dingtalk-apps.md); it does not say whose bot has the group. */
const groupTaken = {
  status: HttpStatus.CONFLICT,
  msg: 'This group is already linked to another bot of this app',
};
const appSecretMismatch = fieldError(
  'client_secret',
  'client_secret is not the secret of the app with this client_id: choose the app by app_id (GET /api/v1/dingtalk-apps), or ask an admin to update its secret',
);
const badSecret = fieldError(
  'secret',
  'secret must be the signing secret shown by DingTalk, starting with SEC',
);

@ApiTags('dingtalk-bots')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@Controller('dingtalk-bots')
export class DingTalkBotController {
  constructor(
    private readonly bots: DingTalkBotService,
    private readonly statuses: BotStatusService,
  ) {}

  @Post()
  @CreatesInStore()
  @UseInterceptors(BotRulesOnRefusedBodyInterceptor)
  @ApiOperation({
    summary: 'Register a bot',
    description:
      'webhook bots need `webhook` (and optionally `secret`). A stream bot belongs to a DingTalk app, one for the ' +
      'whole chain (docs/dingtalk-apps.md): give its `app_id`, or its `client_id` and `client_secret` (and `agent_id` ' +
      'for an app not added yet), which find the app (the secret must be its own) or, for an admin only, add it. ' +
      "Each store's bot keeps " +
      "its own targets: `open_conversation_id` is the store's group. An enabled stream bot's app connects at once.",
  })
  @ApiJsonBody(
    CreateDingTalkBotDto,
    {
      webhook: {
        summary: 'A signed custom group robot (webhook)',
        value: {
          name: '测试门店通知',
          store_id: 1,
          webhook: 'https://oapi.dingtalk.com/robot/send?access_token=1a2b3c4d5e6f7a8b9c0d',
          secret: 'SEC0123456789abcdef0123456789abcdef',
          at_mobiles: ['13800000000'],
        },
      },
      stream: {
        summary: "A store's bot on the chain's DingTalk app: its kitchen group and its manager",
        value: {
          name: '一号店报菜机器人',
          store_id: 1,
          bot_type: 'stream',
          app_id: 1,
          user_ids: ['manager01'],
          open_conversation_id: 'cidDemoKitchen==',
        },
      },
      streamInline: {
        summary: 'The same, naming the app by its credentials (finds it, or adds it)',
        value: {
          name: '门店应用机器人',
          store_id: 1,
          bot_type: 'stream',
          client_id: 'dingdemoapp',
          client_secret: 'demo-secret',
          agent_id: '3001',
          user_ids: ['manager01'],
          open_conversation_id: 'cidDemoHall==',
        },
      },
    },
    badSecret,
    fieldError('webhook', 'webhook is required for a webhook bot'),
    appSecretMismatch,
    forbidden,
    groupTaken,
  )
  @ApiEnvelope(SavedDingTalkBotResponse, HttpStatus.CREATED)
  create(
    @CurrentUser() user: AuthUser,
    @Body() request: CreateDingTalkBotDto,
  ): Promise<SavedDingTalkBotResponse> {
    return this.bots.create(user, request);
  }

  @Get()
  @ApiOperation({ summary: 'List the bots of the stores you manage, newest first' })
  @ApiPageEnvelope(DingTalkBotResponse)
  @ApiErrors(
    fieldError('is_enabled', 'is_enabled must be true or false'),
    fieldError('store_id', 'store_id must be a whole number from 1 to 2147483647'),
  )
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListDingTalkBotsQuery,
  ): Promise<Page<DingTalkBotResponse>> {
    return this.bots.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One bot' })
  @ApiIdParam('The bot')
  @ApiEnvelope(DingTalkBotResponse)
  @ApiErrors(badId, notFound)
  get(@CurrentUser() user: AuthUser, @IntIdParam() id: number): Promise<DingTalkBotResponse> {
    return this.bots.get(user, id);
  }

  @Put(':id')
  @ApiOperation({
    summary: 'Change any subset of a bot’s fields',
    description:
      'The merged bot is validated as a whole. Switching `bot_type` clears the settings of the other type. ' +
      "Disabling, deleting, switching type or another `app_id` starts or stops the app's stream connection as needed. " +
      "An app's secret is the app's: an admin changes it with PUT /api/v1/dingtalk-apps/:id.",
  })
  @ApiIdParam('The bot')
  @ApiJsonBody(
    UpdateDingTalkBotDto,
    {
      disable: { summary: 'Disable the bot', value: { is_enabled: false } },
      slower: { summary: 'At most 10 messages a minute', value: { rate_limit_per_minute: 10 } },
      builtIn: { summary: 'Back to the built-in message', value: { template_id: null } },
    },
    badId,
    badSecret,
    fieldError('client_id', 'client_id applies to stream bots only'),
    appSecretMismatch,
    forbidden,
    groupTaken,
    notFound,
  )
  @ApiEnvelope(SavedDingTalkBotResponse)
  update(
    @CurrentUser() user: AuthUser,
    @IntIdParam() id: number,
    @Body() request: UpdateDingTalkBotDto,
  ): Promise<SavedDingTalkBotResponse> {
    return this.bots.update(user, id, request);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a bot' })
  @ApiIdParam('The bot')
  @ApiEnvelope(DeletedResponse)
  @ApiErrors(badId, notFound)
  remove(@CurrentUser() user: AuthUser, @IntIdParam() id: number): Promise<DeletedResponse> {
    return this.bots.remove(user, id);
  }

  @Post(':id/test')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Send a test message now',
    description:
      'Answers whether DingTalk accepted it and, if not, what to fix (`hint`). The test message counts in the ' +
      "bot's rate window like any other: a bot at its `rate_limit_per_minute`, or paused after DingTalk throttled " +
      'it, answers 429 with a `Retry-After` header (seconds) instead of sending.',
  })
  @ApiIdParam('The bot')
  @ApiEnvelope(BotTestResultResponse)
  @ApiErrors(badId, notFound, {
    status: HttpStatus.TOO_MANY_REQUESTS,
    msg: 'Bot 42 has sent as many messages in the last minute as its rate_limit_per_minute allows; one more now would get it throttled by DingTalk for 10 minutes. Try again in 12 s (after 2026-12-01T08:00:12.000Z).',
  })
  test(@CurrentUser() user: AuthUser, @IntIdParam() id: number): Promise<BotTestResultResponse> {
    return this.bots.test(user, id);
  }

  @Get(':id/status')
  @ApiOperation({ summary: 'Connection and delivery state of a bot' })
  @ApiIdParam('The bot')
  @ApiEnvelope(BotStatusResponse)
  @ApiErrors(badId, notFound)
  status(@CurrentUser() user: AuthUser, @IntIdParam() id: number): Promise<BotStatusResponse> {
    return this.statuses.status(user, id);
  }
}
