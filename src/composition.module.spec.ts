import { DynamicModule, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../test/support/test-app';
import { AppModule } from './app.module';
import { bindPorts, PortBinding } from './common/port';
import { CompositionModule, PORT_BINDINGS, PORT_OWNERS } from './composition.module';
import { BOT_STATUS_CONTRIBUTORS } from './dingtalk-bot/bot-status.service';

/** A database nobody connects to: these tests are about wiring only, so the DataSource is a stand-in. */
const nowhere = { connection: { url: 'postgres://nowhere.invalid/test', poolSize: 1 }, drop: async () => {} };
const app = AppModule.forRoot({ config: testConfig(nowhere), database: nowhere.connection });

/** What TypeORM's feature modules ask of the DataSource while Nest builds the providers. */
const standInDataSource = { entityMetadatas: [], options: { type: 'postgres' }, getRepository: () => ({}) };

/** The composition module with some of its bindings only. */
function compositionWith(bindings: PortBinding[]): DynamicModule {
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
async function refusalToCompile(bindings: PortBinding[]): Promise<string | null> {
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
      const instance = (token: unknown): unknown => module.get(token as symbol, { strict: false });
      for (const binding of PORT_BINDINGS) {
        // A second StreamConnectionService, say, would connect every stream bot twice.
        if ('useExisting' in binding) expect(instance(binding.provide)).toBe(instance(binding.useExisting));
        else {
          const parts = instance(binding.provide) as unknown[];
          expect(parts).toHaveLength(binding.inject.length);
          binding.inject.forEach((part, index) => expect(parts[index]).toBe(instance(part)));
        }
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

  it('resolves every part of a port of several parts at the start: a part nobody provides stops it', async () => {
    @Injectable()
    class NobodyProvidesThis {
      contribute = () => ({});
    }
    const multi = PORT_BINDINGS.find((binding) => binding.provide === BOT_STATUS_CONTRIBUTORS)!;
    const withStrayPart = PORT_BINDINGS.map((binding) =>
      binding === multi ? bindPorts(BOT_STATUS_CONTRIBUTORS, [NobodyProvidesThis]) : binding,
    );
    const refusal = await refusalToCompile(withStrayPart);
    expect(refusal ?? 'it started').toContain(`Nest can't resolve dependencies of the`);
    expect(refusal).toContain('NobodyProvidesThis');
  });
});
