import { Module } from '@nestjs/common';
import { StreamConnectionService } from './stream-connection.service';

@Module({
  providers: [StreamConnectionService],
  exports: [StreamConnectionService],
})
export class StreamModule {}
