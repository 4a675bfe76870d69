import { Body, Controller, Get, HttpStatus, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiEnvelope, ApiErrors, ApiPageEnvelope } from '../common/http/api-docs.decorators';
import { Page } from '../common/http/pagination.dto';
import { CreateMenuReportDto } from './dto/create-menu-report.dto';
import { ListMenuReportsQuery } from './dto/list-menu-reports.query';
import { MenuReportResponse } from './dto/menu-report.response';
import { MenuReportService } from './menu-report.service';

@ApiTags('menu-reports')
@ApiBearerAuth()
@ApiErrors(HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED)
@Controller('menu-reports')
export class MenuReportController {
  constructor(private readonly reports: MenuReportService) {}

  @Post()
  @ApiOperation({
    summary: 'Report a dish (报菜)',
    description:
      'Stores the report and one notification per enabled bot of its store in one transaction: once this answers 201, ' +
      'every notification will be delivered, whatever happens next.',
  })
  @ApiEnvelope(MenuReportResponse, HttpStatus.CREATED)
  @ApiErrors(HttpStatus.FORBIDDEN)
  create(@CurrentUser() user: AuthUser, @Body() request: CreateMenuReportDto): Promise<MenuReportResponse> {
    return this.reports.create(user, request);
  }

  @Get()
  @ApiOperation({ summary: 'List the reports of the stores you manage, newest first' })
  @ApiPageEnvelope(MenuReportResponse)
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListMenuReportsQuery,
  ): Promise<Page<MenuReportResponse>> {
    return this.reports.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One report, with its notifications' })
  @ApiEnvelope(MenuReportResponse)
  @ApiErrors(HttpStatus.NOT_FOUND)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number): Promise<MenuReportResponse> {
    return this.reports.get(user, id);
  }
}
