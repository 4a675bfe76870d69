import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors, ApiPageEnvelope, fieldError, STANDARD_ERRORS } from '../common/http/api-docs.decorators';
import { Page } from '../common/http/pagination.dto';
import { StoreFilterQuery } from '../common/http/store-scoped.dto';
import { StoreOverviewResponse } from './dto/store-overview.response';
import { StoreOverviewService } from './store-overview.service';

@ApiTags('stores')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@Controller('stores')
export class StoreOverviewController {
  constructor(private readonly overview: StoreOverviewService) {}

  @Get()
  @ApiOperation({
    summary: 'Every store you manage at a glance: bots, backlog, today’s sent and failed',
    description:
      'The stores that have a bot or a notification (an admin: every such store; a store admin: its own). ' +
      'Those needing a look first: most failed today, then the largest backlog, then by store_id. ' +
      '"Today" is the stores’ day in REPORT_TIMEZONE, counted by when a notification was made.',
  })
  @ApiPageEnvelope(StoreOverviewResponse)
  @ApiErrors(fieldError('store_id', 'store_id must be a whole number from 1 to 2147483647'))
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: StoreFilterQuery,
  ): Promise<Page<StoreOverviewResponse>> {
    return this.overview.list(user, query);
  }
}
