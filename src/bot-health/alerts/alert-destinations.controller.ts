import { Body, Controller, Delete, Get, HttpStatus, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ADMIN_ONLY_MESSAGE, AdminOnly } from '../../auth/admin-only';
import {
  ApiEnvelope,
  ApiErrors,
  ApiIdParam,
  ApiJsonBody,
  ApiPageEnvelope,
  fieldError,
  STANDARD_ERRORS,
} from '../../common/http/api-docs.decorators';
import { DeletedResponse } from '../../common/http/deleted.response';
import { Page } from '../../common/http/pagination.dto';
import { IntIdParam } from '../../common/http/strict-integer';
import {
  AlertDestinationResponse,
  CreateAlertDestinationDto,
  ListAlertDestinationsQuery,
  UpdateAlertDestinationDto,
} from '../dto/alert-destination.dto';
import { AlertDestinationsService } from './alert-destinations.service';

const badId = fieldError('id', 'id must be a whole number from 1 to 2147483647 (digits only)');
const notFound = { status: HttpStatus.NOT_FOUND, msg: 'Alert destination 42 not found' };
const nowhere = fieldError('dingtalk_bot_id', 'a destination needs dingtalk_bot_id, webhook_url or both');

@ApiTags('alerts')
@ApiBearerAuth()
@AdminOnly()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken, {
  status: HttpStatus.FORBIDDEN,
  msg: ADMIN_ONLY_MESSAGE,
})
@Controller('alert-destinations')
export class AlertDestinationsController {
  constructor(private readonly destinations: AlertDestinationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Send bot alerts somewhere (admin)',
    description:
      "When a bot breaks, and when it recovers, an alert goes to the chain's destinations (store_id null) and its " +
      "store's: a bot of this service, an HTTPS webhook (signed), or both (docs/bot-health.md).",
  })
  @ApiJsonBody(
    CreateAlertDestinationDto,
    {
      hqGroup: {
        summary: "HQ's DingTalk group, for every store",
        value: { name: '总部运维群', dingtalk_bot_id: 1 },
      },
      webhook: {
        summary: 'A signed webhook for the alerts of store 1',
        value: {
          name: '门店 1 值班系统',
          store_id: 1,
          webhook_url: 'https://ops.example.com/hooks/dingtalk-bots',
          webhook_secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        },
      },
    },
    nowhere,
    fieldError('webhook_secret', 'webhook_secret is required with webhook_url'),
  )
  @ApiEnvelope(AlertDestinationResponse, HttpStatus.CREATED)
  create(@Body() request: CreateAlertDestinationDto): Promise<AlertDestinationResponse> {
    return this.destinations.create(request);
  }

  @Get()
  @ApiOperation({ summary: 'List the alert destinations, newest first (admin)' })
  @ApiPageEnvelope(AlertDestinationResponse)
  list(@Query() query: ListAlertDestinationsQuery): Promise<Page<AlertDestinationResponse>> {
    return this.destinations.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert destination (admin)' })
  @ApiIdParam('The destination')
  @ApiEnvelope(AlertDestinationResponse)
  @ApiErrors(badId, notFound)
  get(@IntIdParam() id: number): Promise<AlertDestinationResponse> {
    return this.destinations.get(id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Change any subset of an alert destination’s fields (admin)' })
  @ApiIdParam('The destination')
  @ApiJsonBody(
    UpdateAlertDestinationDto,
    { pause: { summary: 'Stop sending alerts there for now', value: { is_enabled: false } } },
    badId,
    nowhere,
    notFound,
  )
  @ApiEnvelope(AlertDestinationResponse)
  update(
    @IntIdParam() id: number,
    @Body() request: UpdateAlertDestinationDto,
  ): Promise<AlertDestinationResponse> {
    return this.destinations.update(id, request);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete an alert destination (admin)' })
  @ApiIdParam('The destination')
  @ApiEnvelope(DeletedResponse)
  @ApiErrors(badId, notFound)
  remove(@IntIdParam() id: number): Promise<DeletedResponse> {
    return this.destinations.remove(id);
  }
}
