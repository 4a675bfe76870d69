import { DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../test/support/test-app';
import { AppModule } from './app.module';
import { CompositionModule } from './composition.module';

/** A database nobody connects to: these tests are about wiring only, so the DataSource is a stand-in. */
const nowhere = { connection: { url: 'postgres://nowhere.invalid/test', poolSize: 1 }, drop: async () => {} };
const app = AppModule.forRoot({ config: testConfig(nowhere), database: nowhere.connection });

/** What TypeORM's feature modules ask of the DataSource while Nest builds the providers. */
const standInDataSource = { entityMetadatas: [], options: { type: 'postgres' }, getRepository: () => ({}) };

/** Compiles `root` without starting it: null, or the message of Nest's refusal. */
async function refusalToCompile(root: DynamicModule): Promise<string | null> {
  return Test.createTestingModule({ imports: [root] })
    .overrideProvider(DataSource)
    .useValue(standInDataSource)
    .compile()
    .then(
      async (module) => {
        await module.close();
        return null;
      },
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
}

/** The ports are bound in one place, and a port nobody binds stops the application at its start. */
describe('CompositionModule', () => {
  it('is what binds the ports: without it, the application does not start', async () => {
    const unbound: DynamicModule = {
      ...app,
      imports: app.imports?.filter((imported) => imported !== CompositionModule),
    };
    expect(unbound.imports).toHaveLength((app.imports ?? []).length - 1);
    expect((await refusalToCompile(unbound)) ?? 'it started').toMatch(
      /DailySummaryService.*Symbol\(SummaryBots\)/s,
    );
  });

  it('binds every port the application needs', async () => {
    expect(await refusalToCompile(app)).toBeNull();
  });
});
