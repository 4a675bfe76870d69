import { Controller, Get, HttpStatus, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import {
  ApiEnvelope,
  ApiErrors,
  ApiIdParam,
  fieldError,
  STANDARD_ERRORS,
} from '../common/http/api-docs.decorators';
import { IntIdParam } from '../common/http/strict-integer';
import { DailySummaryService } from './daily-summary.service';
import { DailySummaryPreviewQuery } from './dto/daily-summary-preview.query';
import { DailySummaryPreviewResponse } from './dto/daily-summary-preview.response';

@ApiTags('dingtalk-bots')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@Controller('dingtalk-bots')
export class DailySummaryController {
  constructor(private readonly summaries: DailySummaryService) {}

  @Get(':id/daily-summary')
  @ApiOperation({
    summary: 'Preview the daily summary of a bot',
    description:
      "The message the bot gets (or would get) at its daily_summary_at for a day's reports of its store: the " +
      'built-in one, or its template when that is a daily_summary template. Nothing is sent.',
  })
  @ApiIdParam('The bot')
  @ApiEnvelope(DailySummaryPreviewResponse)
  @ApiErrors(
    fieldError('id', 'id must be a whole number from 1 to 2147483647 (digits only)'),
    fieldError('date', 'date must be a date such as 2026-11-24'),
    { status: HttpStatus.NOT_FOUND, msg: 'DingTalk bot 42 not found' },
  )
  preview(
    @CurrentUser() user: AuthUser,
    @IntIdParam() id: number,
    @Query() query: DailySummaryPreviewQuery,
  ): Promise<DailySummaryPreviewResponse> {
    return this.summaries.preview(user, id, query.date);
  }
}
