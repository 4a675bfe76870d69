import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiEnvelope, ApiErrors, ApiPageEnvelope } from '../common/http/api-docs.decorators';
import { Page } from '../common/http/pagination.dto';
import { DingTalkBotService } from './dingtalk-bot.service';
import { BotStatusResponse } from './dto/bot-status.response';
import { BotTestResultResponse } from './dto/bot-test-result.response';
import { CreateDingTalkBotDto } from './dto/create-dingtalk-bot.dto';
import { DeletedResponse, DingTalkBotResponse } from './dto/dingtalk-bot.response';
import { ListDingTalkBotsQuery } from './dto/list-dingtalk-bots.query';
import { UpdateDingTalkBotDto } from './dto/update-dingtalk-bot.dto';

@ApiTags('dingtalk-bots')
@ApiBearerAuth()
@ApiErrors(HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED)
@Controller('dingtalk-bots')
export class DingTalkBotController {
  constructor(private readonly bots: DingTalkBotService) {}

  @Post()
  @ApiOperation({
    summary: 'Register a bot',
    description:
      'webhook bots need `webhook` (and optionally `secret`); stream bots need `client_id`, `client_secret` and `agent_id`. ' +
      'An enabled stream bot connects to DingTalk at once.',
  })
  @ApiEnvelope(DingTalkBotResponse, HttpStatus.CREATED)
  @ApiErrors(HttpStatus.FORBIDDEN, HttpStatus.CONFLICT)
  create(@CurrentUser() user: AuthUser, @Body() request: CreateDingTalkBotDto): Promise<DingTalkBotResponse> {
    return this.bots.create(user, request);
  }

  @Get()
  @ApiOperation({ summary: 'List the bots of the stores you manage, newest first' })
  @ApiPageEnvelope(DingTalkBotResponse)
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListDingTalkBotsQuery,
  ): Promise<Page<DingTalkBotResponse>> {
    return this.bots.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One bot' })
  @ApiEnvelope(DingTalkBotResponse)
  @ApiErrors(HttpStatus.NOT_FOUND)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number): Promise<DingTalkBotResponse> {
    return this.bots.get(user, id);
  }

  @Put(':id')
  @ApiOperation({
    summary: 'Change any subset of a bot’s fields',
    description:
      'The merged bot is validated as a whole. Switching `bot_type` clears the settings of the other type. ' +
      'Disabling, deleting, switching type or changing credentials stops or restarts a stream connection.',
  })
  @ApiEnvelope(DingTalkBotResponse)
  @ApiErrors(HttpStatus.FORBIDDEN, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() request: UpdateDingTalkBotDto,
  ): Promise<DingTalkBotResponse> {
    return this.bots.update(user, id, request);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a bot' })
  @ApiEnvelope(DeletedResponse)
  @ApiErrors(HttpStatus.NOT_FOUND)
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number): Promise<DeletedResponse> {
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
  @ApiEnvelope(BotTestResultResponse)
  @ApiErrors(HttpStatus.NOT_FOUND, HttpStatus.TOO_MANY_REQUESTS)
  test(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number): Promise<BotTestResultResponse> {
    return this.bots.test(user, id);
  }

  @Get(':id/status')
  @ApiOperation({ summary: 'Connection and delivery state of a bot' })
  @ApiEnvelope(BotStatusResponse)
  @ApiErrors(HttpStatus.NOT_FOUND)
  status(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number): Promise<BotStatusResponse> {
    return this.bots.status(user, id);
  }
}
