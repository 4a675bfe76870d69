import { Module } from '@nestjs/common';
import { InstanceHeartbeat } from './instance-heartbeat.service';
import { ServiceInstanceStore } from './service-instance.store';

/** The instances sharing one database: who is alive, with its last heartbeat. */
@Module({
  providers: [ServiceInstanceStore, InstanceHeartbeat],
  exports: [ServiceInstanceStore],
})
export class ClusterModule {}
