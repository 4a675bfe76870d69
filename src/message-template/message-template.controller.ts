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
import { DeletedResponse } from '../dingtalk-bot/dto/dingtalk-bot.response';
import { CreateMessageTemplateDto } from './dto/create-message-template.dto';
import { ListMessageTemplatesQuery, MessageTemplateResponse } from './dto/message-template.response';
import { PreviewMessageTemplateDto, TemplatePreviewResponse } from './dto/preview-message-template.dto';
import { UpdateMessageTemplateDto } from './dto/update-message-template.dto';
import { MessageTemplateService } from './message-template.service';

@ApiTags('message-templates')
@ApiBearerAuth()
@ApiErrors(HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED)
@Controller('message-templates')
export class MessageTemplateController {
  constructor(private readonly templates: MessageTemplateService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a template',
    description:
      'store_id null makes it usable by every store (admin only). Unknown {{variables}} are a 400.',
  })
  @ApiEnvelope(MessageTemplateResponse, HttpStatus.CREATED)
  @ApiErrors(HttpStatus.FORBIDDEN)
  create(
    @CurrentUser() user: AuthUser,
    @Body() request: CreateMessageTemplateDto,
  ): Promise<MessageTemplateResponse> {
    return this.templates.create(user, request);
  }

  @Get()
  @ApiOperation({
    summary: 'List the templates your stores may use (their own and the shared ones), newest first',
  })
  @ApiPageEnvelope(MessageTemplateResponse)
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListMessageTemplatesQuery,
  ): Promise<Page<MessageTemplateResponse>> {
    return this.templates.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One template' })
  @ApiEnvelope(MessageTemplateResponse)
  @ApiErrors(HttpStatus.NOT_FOUND)
  get(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIntPipe) id: number,
  ): Promise<MessageTemplateResponse> {
    return this.templates.get(user, id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Change any subset of a template’s fields' })
  @ApiEnvelope(MessageTemplateResponse)
  @ApiErrors(HttpStatus.FORBIDDEN, HttpStatus.NOT_FOUND)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() request: UpdateMessageTemplateDto,
  ): Promise<MessageTemplateResponse> {
    return this.templates.update(user, id, request);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a template; bots using it go back to the built-in message' })
  @ApiEnvelope(DeletedResponse)
  @ApiErrors(HttpStatus.FORBIDDEN, HttpStatus.NOT_FOUND)
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number): Promise<DeletedResponse> {
    return this.templates.remove(user, id);
  }

  @Post(':id/preview')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Render the template with sample or given values, and its size in bytes' })
  @ApiEnvelope(TemplatePreviewResponse)
  @ApiErrors(HttpStatus.NOT_FOUND)
  preview(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() request: PreviewMessageTemplateDto,
  ): Promise<TemplatePreviewResponse> {
    return this.templates.preview(user, id, request);
  }
}
