import { ApiProperty } from '@nestjs/swagger';

/** One store at a glance: its bots, its backlog, and how today's notifications went. */
export class StoreOverviewResponse {
  @ApiProperty({ type: 'integer', example: 3 })
  store_id: number;
  @ApiProperty({ type: 'integer', example: 2, description: 'Bots of the store, enabled or not' })
  bots: number;
  @ApiProperty({ type: 'integer', example: 2 })
  enabled_bots: number;
  @ApiProperty({ type: 'integer', example: 1, description: 'Bots of the store whose health is broken' })
  broken_bots: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'Bots of the store whose health is degraded' })
  degraded_bots: number;
  @ApiProperty({
    type: 'integer',
    example: 0,
    description: 'Notifications waiting to go out now (pending or retrying), whenever they were made',
  })
  pending: number;
  @ApiProperty({
    type: 'integer',
    example: 1,
    description: 'Of the notifications made today (REPORT_TIMEZONE), those that failed',
  })
  failed_today: number;
  @ApiProperty({
    type: 'integer',
    example: 14,
    description: 'Of the notifications made today (REPORT_TIMEZONE), those that were sent',
  })
  sent_today: number;
}
