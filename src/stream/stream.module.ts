import { Module } from '@nestjs/common';
import { StreamCallbackRouter } from './stream-callback';
import { StreamConnectionService } from './stream-connection.service';

@Module({
  providers: [StreamConnectionService, StreamCallbackRouter],
  exports: [StreamConnectionService, StreamCallbackRouter],
})
export class StreamModule {}
