import { Module } from '@nestjs/common';
import { ConsoleAssets, consoleDirectory } from './console-assets';
import { ConsoleController } from './console.controller';

/** The operations console's page (`/console`); the page itself talks to the public API only. */
@Module({
  controllers: [ConsoleController],
  providers: [{ provide: ConsoleAssets, useFactory: () => new ConsoleAssets(consoleDirectory()) }],
})
export class ConsoleModule {}
