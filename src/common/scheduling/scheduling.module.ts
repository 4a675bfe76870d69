import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ClockScheduler } from './clock-scheduler';

/** @nestjs/schedule for the whole application, and the ClockScheduler that runs periodic jobs on the Clock. */
@Global()
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [ClockScheduler],
  exports: [ClockScheduler],
})
export class SchedulingModule {}
