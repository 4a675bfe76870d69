import { Body, Controller, Delete, Get, HttpStatus, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ADMIN_ONLY_MESSAGE, AdminOnly } from '../auth/admin-only';
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
import { Page, PageQueryDto } from '../common/http/pagination.dto';
import { IntIdParam } from '../common/http/strict-integer';
import { DingTalkAppService } from './dingtalk-app.service';
import { CreateDingTalkAppDto } from './dto/create-dingtalk-app.dto';
import { DingTalkAppResponse } from './dto/dingtalk-app.response';
import { UpdateDingTalkAppDto } from './dto/update-dingtalk-app.dto';

const badId = fieldError('id', 'id must be a whole number from 1 to 2147483647 (digits only)');
const notFound = { status: HttpStatus.NOT_FOUND, msg: 'DingTalk app 3 not found' };
const adminOnly = { status: HttpStatus.FORBIDDEN, msg: ADMIN_ONLY_MESSAGE };

@ApiTags('dingtalk-apps')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@Controller('dingtalk-apps')
export class DingTalkAppController {
  constructor(private readonly apps: DingTalkAppService) {}

  @Post()
  @AdminOnly()
  @ApiOperation({
    summary: 'Add a DingTalk app (admin)',
    description:
      "A chain's enterprise internal app, set up once in DingTalk's developer console with its robot in every " +
      "store's group; any number of stream bots use it (`app_id`). The secret is write-only.",
  })
  @ApiJsonBody(
    CreateDingTalkAppDto,
    {
      chain: {
        summary: "The chain's app",
        value: {
          name: '连锁门店报菜应用',
          client_id: 'dingdemoapp',
          client_secret: 'demo-secret',
          agent_id: '3001',
        },
      },
    },
    fieldError('client_id', "client_id must be the app's AppKey (letters, digits, _ . -)"),
    adminOnly,
    {
      status: HttpStatus.CONFLICT,
      msg: 'App 1 has this client_id already: change that one (PUT /api/v1/dingtalk-apps/1)',
    },
  )
  @ApiEnvelope(DingTalkAppResponse, HttpStatus.CREATED)
  create(@Body() request: CreateDingTalkAppDto): Promise<DingTalkAppResponse> {
    return this.apps.create(request);
  }

  @Get()
  @ApiOperation({
    summary: 'List the DingTalk apps, oldest first',
    description: 'Every app, for anyone who sets up a stream bot (to choose its `app_id`); never a secret.',
  })
  @ApiPageEnvelope(DingTalkAppResponse)
  list(@Query() query: PageQueryDto): Promise<Page<DingTalkAppResponse>> {
    return this.apps.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One DingTalk app' })
  @ApiIdParam('The app')
  @ApiEnvelope(DingTalkAppResponse)
  @ApiErrors(badId, notFound)
  get(@IntIdParam() id: number): Promise<DingTalkAppResponse> {
    return this.apps.get(id);
  }

  @Put(':id')
  @AdminOnly()
  @ApiOperation({
    summary: 'Rename an app, or give it its new secret or AgentId (admin)',
    description:
      'One update for every bot of the app: its Stream connection reconnects with the new secret, and every ' +
      'instance sends with it from its next message on. `client_id` cannot change: another AppKey is another app.',
  })
  @ApiIdParam('The app')
  @ApiJsonBody(
    UpdateDingTalkAppDto,
    {
      rotate: { summary: 'The secret after a reset in the console', value: { client_secret: 'new-secret' } },
    },
    badId,
    adminOnly,
    notFound,
  )
  @ApiEnvelope(DingTalkAppResponse)
  update(@IntIdParam() id: number, @Body() request: UpdateDingTalkAppDto): Promise<DingTalkAppResponse> {
    return this.apps.update(id, request);
  }

  @Delete(':id')
  @AdminOnly()
  @ApiOperation({ summary: 'Delete an app no bot uses (admin)' })
  @ApiIdParam('The app')
  @ApiEnvelope(DeletedResponse)
  @ApiErrors(
    badId,
    notFound,
    { ...adminOnly, msg: 'Only an admin deletes a DingTalk app' },
    {
      status: HttpStatus.CONFLICT,
      msg: 'App 3 is used by stream bots: point them at another app (app_id) or delete them first',
    },
  )
  remove(@IntIdParam() id: number): Promise<DeletedResponse> {
    return this.apps.remove(id);
  }
}
