import { ArgumentMetadata, Type, ValidationPipe } from '@nestjs/common';
import { ValidateBy } from 'class-validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreateDingTalkBotDto } from '../../dingtalk-bot/dto/create-dingtalk-bot.dto';
import { UpdateDingTalkBotDto } from '../../dingtalk-bot/dto/update-dingtalk-bot.dto';
import { CreateMenuReportDto } from '../../menu-report/dto/create-menu-report.dto';
import { CreateMessageTemplateDto } from '../../message-template/dto/create-message-template.dto';
import { PreviewMessageTemplateDto } from '../../message-template/dto/preview-message-template.dto';
import { UpdateMessageTemplateDto } from '../../message-template/dto/update-message-template.dto';
import { BatchSendDto } from '../../notify/notifications/batch-send/batch-send.dto';
import { compilePlainBodyCheck } from './plain-body-check';
import { createValidationPipe, VALIDATION_PIPE_OPTIONS } from './validation.pipe';
import { ValidationFailedException } from './validation-failed.exception';

/** What the pipe answers for a body: the DTO it makes, the fields and messages of its 400, or what else it throws. */
type Outcome = { dto: object } | { refused: unknown } | { threw: string };

async function outcome(pipe: ValidationPipe, dto: Type<object>, body: unknown): Promise<Outcome> {
  const metadata: ArgumentMetadata = { type: 'body', metatype: dto };
  try {
    return { dto: (await pipe.transform(body, metadata)) as object };
  } catch (error) {
    if (error instanceof ValidationFailedException) return { refused: error.fieldErrors };
    return { threw: String(error) };
  }
}

/** Nest's own ValidationPipe with the global pipe's options: what the quick way must agree with. */
const fullPipe = new ValidationPipe(VALIDATION_PIPE_OPTIONS);
const globalPipe = createValidationPipe();
/** A body as Fastify's JSON parser hands it over. */
const parsed = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const text = fc.oneof(
  fc.constantFrom(
    '',
    'x',
    '宫保鸡丁',
    '份',
    '\uFE0F',
    'a\uFE0F',
    '😀',
    ' ',
    'markdown',
    'text',
    'report',
    'summary',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.integer({ min: 0, max: 510 }).map((length) => 'y'.repeat(length)),
);
const number = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2.5, 0.001, 0.0001, 12.3456, 999_999_999, 1_000_000_000, 2_147_483_647),
  fc.constantFrom(2_147_483_648, 1e21, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const primitive = fc.oneof(text, number, fc.boolean(), fc.constant(null));
const value = fc.oneof(
  { weight: 6, arbitrary: primitive },
  { weight: 1, arbitrary: fc.array(primitive, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), primitive, { maxKeys: 2 }) },
);

/**
 * Bodies near a valid one (so that many pass and the rest fail at a boundary): a few of its fields set to other
 * values, left out, or joined by a key the DTO does not know; now and then not an object at all.
 */
function bodies(valid: object, fields: readonly string[]) {
  const key = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...fields) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('bogus', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'),
    },
  );
  const change = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(key, value) },
    { weight: 1, arbitrary: fc.tuple(key, fc.constant(undefined)) },
  );
  const near = fc.array(change, { maxLength: 3 }).map((changes) => {
    const body: Record<string, unknown> = { ...valid };
    for (const [name, to] of changes) {
      if (to === undefined) delete body[name];
      else body[name] = to;
    }
    return parsed(body);
  });
  return fc.oneof(
    { weight: 20, arbitrary: near },
    { weight: 1, arbitrary: fc.oneof(primitive, fc.array(primitive, { maxLength: 2 })) },
  );
}

const MENU_REPORT = { store_id: 1, dish_name: '宫保鸡丁', quantity: 2.5, unit: '份', remark: '少辣' };

describe('compilePlainBodyCheck', () => {
  it.each([
    [
      'CreateMenuReportDto',
      CreateMenuReportDto,
      ['store_id', 'dish_id', 'dish_name', 'quantity', 'unit', 'remark'],
      { store_id: 1, dish_name: '宫保鸡丁', quantity: 50, unit: '份' },
    ],
    [
      'CreateMessageTemplateDto',
      CreateMessageTemplateDto,
      ['store_id', 'name', 'msg_type', 'title', 'body', 'purpose'],
      { store_id: 1, name: 'n', title: 't', body: 'b' },
    ],
    [
      'UpdateMessageTemplateDto',
      UpdateMessageTemplateDto,
      ['name', 'msg_type', 'title', 'body', 'purpose'],
      { title: 't' },
    ],
    ['PreviewMessageTemplateDto', PreviewMessageTemplateDto, ['values'], {}],
  ])(
    '%s: whatever body, the DTO it makes is the one the pipe makes, and it makes none the pipe refuses',
    async (_name, dto, fields, valid) => {
      const check = compilePlainBodyCheck(dto);
      expect(check).toBeDefined();
      expect(check!(parsed(valid))).toEqual(Object.assign(new dto(), valid));
      let quick = 0;
      await fc.assert(
        fc.asyncProperty(bodies(valid, fields), async (body) => {
          const made = check!(structuredClone(body));
          const full = await outcome(fullPipe, dto, structuredClone(body));
          if (made !== undefined) {
            quick++;
            expect(full).toEqual({ dto: made });
            expect(Object.getPrototypeOf(made)).toBe(dto.prototype);
          }
          expect(await outcome(globalPipe, dto, structuredClone(body))).toEqual(full);
        }),
        { numRuns: 3000 },
      );
      // The property says nothing unless the quick way is taken often enough.
      expect(quick).toBeGreaterThan(100);
    },
  );

  it('finds no quick way for a class whose fields class-transformer changes, or whose body nests', async () => {
    expect(compilePlainBodyCheck(CreateDingTalkBotDto)).toBeUndefined();
    expect(compilePlainBodyCheck(UpdateDingTalkBotDto)).toBeUndefined();
    const batch = compilePlainBodyCheck(BatchSendDto);
    // Its arrays are not flat: such a body is always the pipe's.
    const body = { store_ids: [1], msg_type: 'text', content: 'hi' };
    expect(batch?.(parsed(body))).toBeUndefined();
    expect(await outcome(globalPipe, BatchSendDto, parsed(body))).toEqual(
      await outcome(fullPipe, BatchSendDto, parsed(body)),
    );
  });

  it("takes a report's body the quick way, and leaves what is wrong to the pipe's own messages", async () => {
    const check = compilePlainBodyCheck(CreateMenuReportDto)!;
    expect(check(parsed(MENU_REPORT))).toBeInstanceOf(CreateMenuReportDto);
    for (const wrong of [
      { ...MENU_REPORT, dish_name: '' },
      { ...MENU_REPORT, quantity: 2.5001 },
      { ...MENU_REPORT, store_id: null },
      { ...MENU_REPORT, unit: 'y'.repeat(21) },
      { ...MENU_REPORT, bogus: 1 },
    ]) {
      expect(check(parsed(wrong))).toBeUndefined();
      const refused = await outcome(globalPipe, CreateMenuReportDto, parsed(wrong));
      expect(refused).toEqual(await outcome(fullPipe, CreateMenuReportDto, parsed(wrong)));
      expect(refused).toHaveProperty('refused');
    }
    // A number printed with an exponent and no point (class-validator's own decimal count threw on it).
    const tiny = parsed({ ...MENU_REPORT, quantity: 5e-324 });
    expect(check(tiny)).toBeUndefined();
    expect(await outcome(globalPipe, CreateMenuReportDto, tiny)).toEqual(
      await outcome(fullPipe, CreateMenuReportDto, tiny),
    );
  });

  it('leaves a rule that throws to the pipe, which answers as it always did', async () => {
    class Throwing {
      @ValidateBy({
        name: 'throws',
        validator: {
          validate: () => {
            throw new TypeError('a rule that throws');
          },
        },
      })
      readonly field?: string;
    }
    const body = parsed({ field: 'x' });
    expect(compilePlainBodyCheck(Throwing)!(body)).toBeUndefined();
    expect(await outcome(globalPipe, Throwing, body)).toEqual({ threw: 'TypeError: a rule that throws' });
  });
});
