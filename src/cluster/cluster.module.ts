import { Module } from '@nestjs/common';
import { InstanceHeartbeat } from './instance-heartbeat.service';
import { ServiceInstanceRepository } from './service-instance.repository';

/** The instances sharing one database: who is alive, with its last heartbeat. */
@Module({
  providers: [ServiceInstanceRepository, InstanceHeartbeat],
  exports: [ServiceInstanceRepository],
})
export class ClusterModule {}
