import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { FEATURES, INFRASTRUCTURE, MAX_SUBFOLDER_DEPTH } from '../../eslint.config.mjs';
import { ROOT_DIR } from '../support/paths';

/**
 * The dependency directions are rules of eslint.config.mjs (no-restricted-imports per folder). These lint small
 * in-memory files at chosen paths through the project's own configuration, as `npm run lint` does, with only that
 * rule and without type information (which it does not need, and which would build the whole program).
 */
const eslint = new ESLint({
  cwd: ROOT_DIR,
  overrideConfig: tseslint.configs.disableTypeChecked,
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: join(ROOT_DIR, filePath) });
  return result.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

async function expectAllowed(filePath: string, code: string): Promise<void> {
  expect(await boundaryErrors(filePath, code), filePath).toEqual([]);
}

/** The one error is the folder's no-restricted-imports rule, its message matching `reason`. */
async function expectRefused(filePath: string, code: string, reason: RegExp): Promise<void> {
  expect(await boundaryErrors(filePath, code), filePath).toEqual([expect.stringMatching(reason)]);
}

describe('import directions (eslint.config.mjs)', () => {
  it('stops the DingTalk wire layer from importing a feature, at any depth', async () => {
    await expectRefused(
      'src/dingtalk/probe.ts',
      "export { NotifyModule } from '../notify/notify.module';",
      /^no-restricted-imports: .*src\/dingtalk\/ is infrastructure/,
    );
    await expectRefused(
      'src/dingtalk/stream/probe.ts',
      "import { StreamModule } from '../../stream/stream.module';\nexport { StreamModule };",
      /^no-restricted-imports: .*infrastructure/,
    );
  });

  it('lets the wire layer import infrastructure and its own folders (src/dingtalk/stream/ is not src/stream/)', async () => {
    await expectAllowed(
      'src/dingtalk/probe.ts',
      "export { Clock } from '../common/clock';\nexport { StreamFrame } from './stream/stream-frames';",
    );
  });

  it('stops the arrow that ran back up: message-template importing from dingtalk-bot', async () => {
    await expectRefused(
      'src/message-template/dto/probe.ts',
      "export { DingTalkBotResponse } from '../../dingtalk-bot/dto/dingtalk-bot.response';",
      /^no-restricted-imports: .*src\/message-template\/ may import only/,
    );
  });

  it("lets a feature import another's public files (top level, dto/, entities/, messages/), not its internals", async () => {
    await expectAllowed(
      'src/stream/probe.ts',
      [
        "export { DingTalkBotService } from '../dingtalk-bot/dingtalk-bot.service';",
        "export { DingTalkBot } from '../dingtalk-bot/entities/dingtalk-bot.entity';",
        "export { MenuReportResponse } from '../menu-report/dto/menu-report.response';",
        "export { helpReply } from '../notify/messages/bot-replies';",
      ].join('\n'),
    );
    await expectRefused(
      'src/stream/receiving/probe.ts',
      "export { Dispatcher } from '../../notify/delivery/dispatcher';",
      /^no-restricted-imports: .*Import another feature's public files only/,
    );
  });

  it('keeps the simulator and src/ apart, and production code away from the composition root and test/', async () => {
    await expectRefused(
      'simulator/core/probe.ts',
      "export { signWebhook } from '../../src/dingtalk/webhook-signing';",
      /^no-restricted-imports: .*simulator\/ imports nothing from src\//,
    );
    await expectRefused(
      'src/stream/probe.ts',
      "export { Simulator } from '../../simulator/simulator';",
      /^no-restricted-imports: .*src\/ imports nothing from simulator\//,
    );
    await expectRefused(
      'src/health/probe.ts',
      "export { AppModule } from '../app.module';",
      /^no-restricted-imports: .*The composition root/,
    );
    await expectRefused(
      'src/notify/probe.ts',
      "export { waitFor } from '../../test/support/wait-for';",
      /^no-restricted-imports: .*Production code imports nothing from test\//,
    );
  });

  it('lets tests import anything: test/, bench/ and the specs beside the code', async () => {
    const anything =
      "export { Simulator } from '../../simulator/simulator';\nexport { Dispatcher } from '../../src/notify/delivery/dispatcher';";
    await expectAllowed('test/e2e/probe.e2e-spec.ts', anything);
    await expectAllowed('bench/delivery/probe.ts', anything);
    await expectAllowed('src/stream/probe.spec.ts', "export { Simulator } from '../../simulator/simulator';");
  });

  it('has listeners name their event through OnAppEvent, which types the payload', async () => {
    const raw = "import { OnEvent } from '@nestjs/event-emitter';\nexport { OnEvent };";
    for (const file of ['src/notify/listeners/probe.ts', 'src/stream/probe.ts', 'src/cluster/probe.ts']) {
      expect(await boundaryErrors(file, raw), file).toEqual([
        expect.stringMatching(/^no-restricted-imports: .*OnAppEvent/),
      ]);
    }
    await expectAllowed('src/events/probe.ts', raw);
    await expectAllowed(
      'src/stream/probe.ts',
      "import { EventEmitter2 } from '@nestjs/event-emitter';\nexport { EventEmitter2 };",
    );
  });

  it('knows every folder of src/ and reaches the deepest file', () => {
    const folders = readdirSync(join(ROOT_DIR, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const known = [...INFRASTRUCTURE, ...Object.keys(FEATURES)].sort();
    expect(folders, 'classify a new src/ folder in eslint.config.mjs (INFRASTRUCTURE or FEATURES)').toEqual(
      known,
    );

    for (const top of ['src', 'simulator']) {
      const files = readdirSync(join(ROOT_DIR, top), { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.ts'),
      );
      for (const file of files) {
        const below = relative(join(ROOT_DIR, top), join(ROOT_DIR, top, file)).split('/').length - 1;
        // src/<folder>/<subfolders>/file.ts: the first folder is the boundary's own.
        const subfolders = top === 'src' ? below - 1 : below;
        expect(
          subfolders,
          `${top}/${file}: raise MAX_SUBFOLDER_DEPTH in eslint.config.mjs`,
        ).toBeLessThanOrEqual(MAX_SUBFOLDER_DEPTH);
      }
    }
  });
});
