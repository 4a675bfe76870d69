import { Body, Controller, Get, HttpStatus, Post, Query } from '@nestjs/common';
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
import { Page } from '../common/http/pagination.dto';
import { IntIdParam } from '../common/http/strict-integer';
import { IDEMPOTENCY_ERRORS } from '../idempotency/idempotency-docs';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import type { IdempotentRequest } from '../idempotency/idempotent-request';
import { CreateMenuReportDto } from './dto/create-menu-report.dto';
import { ListMenuReportsQuery } from './dto/list-menu-reports.query';
import { CreatedMenuReportResponse, MenuReportResponse } from './dto/menu-report.response';
import { MenuReportService } from './menu-report.service';

@ApiTags('menu-reports')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@Controller('menu-reports')
export class MenuReportController {
  constructor(private readonly reports: MenuReportService) {}

  @Post()
  @CreatesInStore()
  @ApiOperation({
    summary: 'Report a dish (报菜)',
    description:
      'Stores the report and one notification per enabled bot of its store in one transaction: once this answers 201, ' +
      'every notification will be delivered, whatever happens next. With an `Idempotency-Key`, a retry of the ' +
      'same request answers the first report again instead of creating another. A store without an enabled bot ' +
      'gets its report stored all the same, with no notifications and a sentence in `warnings`.',
  })
  @ApiIdempotencyKey()
  @ApiJsonBody(
    CreateMenuReportDto,
    {
      portions: {
        summary: '50 portions of 宫保鸡丁, less spicy',
        value: { store_id: 1, dish_name: '宫保鸡丁', quantity: 50, unit: '份', remark: '少辣' },
      },
      weight: {
        summary: '2.5 jin of rice, by dish id',
        value: { store_id: 1, dish_id: 12, dish_name: '米饭', quantity: 2.5, unit: '斤' },
      },
    },
    fieldError('quantity', 'quantity must be a number'),
    fieldError('dish_id', 'dish_id or dish_name is required'),
    fieldError('remark', 'remark must not contain the NUL character (\\u0000)'),
    { status: HttpStatus.FORBIDDEN, msg: 'You do not manage store 2' },
    ...IDEMPOTENCY_ERRORS,
  )
  @ApiEnvelope(CreatedMenuReportResponse, HttpStatus.CREATED)
  create(
    @CurrentUser() user: AuthUser,
    @Body() request: CreateMenuReportDto,
    @IdempotencyKey() idempotency: IdempotentRequest | undefined,
  ): Promise<CreatedMenuReportResponse> {
    return this.reports.create(user, request, { source: 'api' }, idempotency);
  }

  @Get()
  @ApiOperation({ summary: 'List the reports of the stores you manage, newest first' })
  @ApiPageEnvelope(MenuReportResponse)
  @ApiErrors(
    fieldError('date_from', 'date_from must be a date such as 2026-11-24'),
    fieldError('page_size', 'page_size must be a whole number from 1 to 100'),
  )
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListMenuReportsQuery,
  ): Promise<Page<MenuReportResponse>> {
    return this.reports.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One report, with its notifications' })
  @ApiIdParam('The report')
  @ApiEnvelope(MenuReportResponse)
  @ApiErrors(fieldError('id', 'id must be a whole number from 1 to 2147483647 (digits only)'), {
    status: HttpStatus.NOT_FOUND,
    msg: 'Menu report 5 not found',
  })
  get(@CurrentUser() user: AuthUser, @IntIdParam() id: number): Promise<MenuReportResponse> {
    return this.reports.get(user, id);
  }
}
