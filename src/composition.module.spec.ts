import { DynamicModule, ExistingProvider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../test/support/test-app';
import { AppModule } from './app.module';
import { CompositionModule, PORT_BINDINGS, PORT_OWNERS } from './composition.module';

/** A database nobody connects to: these tests are about wiring only, so the DataSource is a stand-in. */
const nowhere = { connection: { url: 'postgres://nowhere.invalid/test', poolSize: 1 }, drop: async () => {} };
const app = AppModule.forRoot({ config: testConfig(nowhere), database: nowhere.connection });

/** What TypeORM's feature modules ask of the DataSource while Nest builds the providers. */
const standInDataSource = { entityMetadatas: [], options: { type: 'postgres' }, getRepository: () => ({}) };

/** The composition module with some of its bindings only. */
function compositionWith(bindings: ExistingProvider[]): DynamicModule {
  class PartialComposition {}
  return {
    module: PartialComposition,
    global: true,
    imports: PORT_OWNERS,
    providers: bindings,
    exports: bindings.map((binding) => binding.provide),
  };
}

/** Compiles the application (without starting it) with these bindings: null, or the message of Nest's refusal. */
async function refusalToCompile(bindings: ExistingProvider[]): Promise<string | null> {
  return Test.createTestingModule({ imports: [app] })
    .overrideProvider(DataSource)
    .useValue(standInDataSource)
    .overrideModule(CompositionModule)
    .useModule(compositionWith(bindings))
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
  it('binds every port the application needs', async () => {
    expect(await refusalToCompile(PORT_BINDINGS)).toBeNull();
  });

  it('binds each port to the instance of its implementation, not a second one', async () => {
    const module = await Test.createTestingModule({ imports: [app] })
      .overrideProvider(DataSource)
      .useValue(standInDataSource)
      .compile();
    try {
      for (const binding of PORT_BINDINGS) {
        // A second StreamConnectionService, say, would connect every stream bot twice.
        expect(module.get(binding.provide, { strict: false })).toBe(
          module.get(binding.useExisting, { strict: false }),
        );
      }
    } finally {
      await module.close();
    }
  });

  it.each(PORT_BINDINGS.map((binding) => [String(binding.provide), binding] as const))(
    'without the binding of %s, the application does not start',
    async (name, binding) => {
      const refusal = await refusalToCompile(PORT_BINDINGS.filter((other) => other !== binding));
      expect(refusal ?? 'it started').toContain(`Nest can't resolve dependencies of the`);
      expect(refusal).toContain(`the argument ${name} at index`);
    },
  );
});
