import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Put, Query } from '@nestjs/common';
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
import { CreateMessageTemplateDto } from './dto/create-message-template.dto';
import { ListMessageTemplatesQuery, MessageTemplateResponse } from './dto/message-template.response';
import {
  PreviewDraftTemplateDto,
  PreviewMessageTemplateDto,
  TemplatePreviewResponse,
} from './dto/preview-message-template.dto';
import { UpdateMessageTemplateDto } from './dto/update-message-template.dto';
import { MessageTemplateService } from './message-template.service';

const badId = fieldError('id', 'id must be a whole number from 1 to 2147483647 (digits only)');
const notFound = { status: HttpStatus.NOT_FOUND, msg: 'Message template 3 not found' };
const unknownVariable = fieldError(
  'body',
  'unknown variable {{price}}; known: store_id, report_id, dish_id, dish_name, quantity, unit, remark, reported_by, created_at',
);

@ApiTags('message-templates')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@Controller('message-templates')
export class MessageTemplateController {
  constructor(private readonly templates: MessageTemplateService) {}

  @Post()
  @CreatesInStore()
  @ApiOperation({
    summary: 'Create a template',
    description:
      'store_id null makes it usable by every store (admin only). Unknown {{variables}} are a 400.',
  })
  @ApiJsonBody(
    CreateMessageTemplateDto,
    {
      brief: {
        summary: "A short markdown message for store 1's kitchen group",
        value: {
          name: '厨房群简报',
          store_id: 1,
          title: '报菜：{{dish_name}}',
          body: '#### {{dish_name}} × {{quantity}}{{unit}}\n- 报菜人：{{reported_by}}',
        },
      },
    },
    unknownVariable,
    { status: HttpStatus.FORBIDDEN, msg: 'Only an admin makes a template for every store' },
  )
  @ApiEnvelope(MessageTemplateResponse, HttpStatus.CREATED)
  create(
    @CurrentUser() user: AuthUser,
    @Body() request: CreateMessageTemplateDto,
  ): Promise<MessageTemplateResponse> {
    return this.templates.create(user, request);
  }

  @Post('preview')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Render a template that is not saved yet, and its size in bytes',
    description:
      'For a live preview while writing one: the variables are checked as when saving, then it is rendered as ' +
      '`POST /message-templates/{id}/preview` renders a saved one. Nothing is stored.',
  })
  @ApiJsonBody(
    PreviewDraftTemplateDto,
    {
      draft: {
        summary: 'A markdown report template with the sample values',
        value: { title: '报菜：{{dish_name}}', body: '#### {{dish_name}} × {{quantity}}{{unit}}' },
      },
    },
    unknownVariable,
  )
  @ApiEnvelope(TemplatePreviewResponse)
  previewDraft(@Body() request: PreviewDraftTemplateDto): TemplatePreviewResponse {
    return this.templates.previewDraft(request);
  }

  @Get()
  @ApiOperation({
    summary: 'List the templates your stores may use (their own and the shared ones), newest first',
  })
  @ApiPageEnvelope(MessageTemplateResponse)
  @ApiErrors(fieldError('store_id', 'store_id must be a whole number from 1 to 2147483647'))
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListMessageTemplatesQuery,
  ): Promise<Page<MessageTemplateResponse>> {
    return this.templates.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One template' })
  @ApiIdParam('The template')
  @ApiEnvelope(MessageTemplateResponse)
  @ApiErrors(badId, notFound)
  get(@CurrentUser() user: AuthUser, @IntIdParam() id: number): Promise<MessageTemplateResponse> {
    return this.templates.get(user, id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Change any subset of a template’s fields' })
  @ApiIdParam('The template')
  @ApiJsonBody(
    UpdateMessageTemplateDto,
    { rename: { summary: 'A new name', value: { name: '厨房群简报（新）' } } },
    badId,
    unknownVariable,
    { status: HttpStatus.FORBIDDEN, msg: 'Templates shared by every store are managed by an admin' },
    notFound,
  )
  @ApiEnvelope(MessageTemplateResponse)
  update(
    @CurrentUser() user: AuthUser,
    @IntIdParam() id: number,
    @Body() request: UpdateMessageTemplateDto,
  ): Promise<MessageTemplateResponse> {
    return this.templates.update(user, id, request);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a template; bots using it go back to the built-in message' })
  @ApiIdParam('The template')
  @ApiEnvelope(DeletedResponse)
  @ApiErrors(
    badId,
    { status: HttpStatus.FORBIDDEN, msg: 'Templates shared by every store are managed by an admin' },
    notFound,
  )
  remove(@CurrentUser() user: AuthUser, @IntIdParam() id: number): Promise<DeletedResponse> {
    return this.templates.remove(user, id);
  }

  @Post(':id/preview')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Render the template with sample or given values, and its size in bytes' })
  @ApiIdParam('The template')
  @ApiJsonBody(
    PreviewMessageTemplateDto,
    {
      sample: { summary: 'With the sample values', value: {} },
      rice: {
        summary: 'With some values of your own',
        value: { values: { dish_name: '米饭', quantity: 2.5 } },
      },
    },
    badId,
    fieldError('values.colour', 'colour is not a template variable'),
    notFound,
  )
  @ApiEnvelope(TemplatePreviewResponse)
  preview(
    @CurrentUser() user: AuthUser,
    @IntIdParam() id: number,
    @Body() request: PreviewMessageTemplateDto,
  ): Promise<TemplatePreviewResponse> {
    return this.templates.preview(user, id, request);
  }
}
