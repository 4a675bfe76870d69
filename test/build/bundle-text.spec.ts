import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const { asciiOnly, nameOnlyWhereItDiffers } = createRequire(__filename)('../../scripts/bundle-text.js') as {
  asciiOnly: (source: string) => string;
  nameOnlyWhereItDiffers: (source: string, file: string) => string;
};

describe('asciiOnly (the bundle as a one-byte string)', () => {
  const beyondAscii = /[\u0080-\uffff]/;

  // Every kind of comment, with a character beyond the BMP (two UTF-16 code units).
  const comments = [
    '#!/usr/bin/env node ≥',
    '// a comment: ≥ 0, 报菜 🍜',
    '/* a block comment – done */',
    '/** 报菜\n * – 🍜 */',
    'result = 1; // 报',
  ].join('\n');

  it('escapes the comments, and they stay comments', () => {
    const escaped = asciiOnly(comments);
    expect(escaped).not.toMatch(beyondAscii);
    expect(escaped).toContain('// a comment: \\u2265 0, \\u62a5\\u83dc \\ud83c\\udf5c');
    const context: { result?: unknown } = {};
    runInNewContext(escaped.replace(/^#!.*/, ''), context);
    expect(context.result).toBe(1);
  });

  // Regular expression literals as esbuild leaves them (ours: src/dingtalk/card-answers.ts, src/stream/receiving/
  // bot-command.ts), each with the strings it is tried on. The strings are given from outside: in the source they
  // would be string literals, which asciiOnly refuses.
  const regexps: Array<[string, string[]]> = [
    [String.raw`/不存在|not ?exist/i`, ['用户不存在', 'NOT EXIST', 'none']],
    [String.raw`/^报菜\s*(?<dish>.+)$/su`, ['报菜 鱼\n香', '报菜', '菜']],
    [String.raw`/[α-ω]+/i`, ['ΑΒΓ', 'αβγ', 'abc']],
    [String.raw`/[报-菜]/`, ['抱', '报', 'x']],
    // an identity escape (a `\` before the character), and an escaped `\` before one
    [String.raw`/^\报$/`, ['报', '\\报']],
    [String.raw`/^\\报$/`, ['\\报', '报']],
    // beyond the BMP: one code point with u or v, two code units without
    [String.raw`/^🍜{2}$/u`, ['🍜🍜', '🍜\udf5c']],
    [String.raw`/^🍜{2}$/`, ['🍜🍜', '🍜\udf5c']],
    [String.raw`/^[🍜]$/u`, ['🍜', '\ud83c', '\udf5c']],
    [String.raw`/^[🍜]$/`, ['🍜', '\ud83c', '\udf5c']],
    [String.raw`/^.$/u`, ['🍜']],
    [String.raw`/^[🍜报]$/v`, ['🍜', '\ud83c', '报']],
    [String.raw`/^[\p{L}--[报菜]]+$/v`, ['报', '菜', '鱼']],
    [String.raw`/^[\q{🍜报}]$/v`, ['🍜报', '🍜']],
    // a group named beyond ASCII, and beyond the BMP
    [String.raw`/(?<菜>.)\k<菜>/u`, ['xx', 'xy']],
    [String.raw`/(?<𠮷>.)/`, ['x']],
  ];
  const source = `result = [\n${regexps.map(([regexp]) => regexp).join(',\n')}\n];`;

  function evaluate(code: string): RegExp[] {
    const context: { result?: RegExp[] } = {};
    runInNewContext(code, context);
    return context.result!;
  }
  function matches(regexp: RegExp, input: string) {
    const match = regexp.exec(input);
    return match && { match: [...match], index: match.index, groups: match.groups && { ...match.groups } };
  }

  it('escapes the regular expressions, and they match exactly what they matched', () => {
    const escaped = asciiOnly(source);
    expect(escaped).not.toMatch(beyondAscii);
    const [before, after] = [evaluate(source), evaluate(escaped)];
    regexps.forEach(([, inputs], i) => {
      expect(after[i].flags).toBe(before[i].flags);
      for (const input of inputs) {
        expect({ regexp: i, input, ...matches(after[i], input) }).toEqual({
          regexp: i,
          input,
          ...matches(before[i], input),
        });
        expect(after[i].test(input)).toBe(before[i].test(input));
      }
    });
    // what they match, as they were written (the tests above would pass if nothing matched anything)
    expect(matches(before[1], '报菜 鱼\n香')?.groups).toEqual({ dish: '鱼\n香' });
    expect(['🍜🍜', '🍜\udf5c'].map((input) => before[6].test(input))).toEqual([true, false]);
    expect(['🍜🍜', '🍜\udf5c'].map((input) => before[7].test(input))).toEqual([false, true]);
    expect(['🍜', '\ud83c', '报'].map((input) => before[11].test(input))).toEqual([true, false, true]);
    expect(before[4].test('报')).toBe(true);
    expect(before[5].test('\\报')).toBe(true);
    expect(before[14].exec('xx')?.groups).toEqual({ 菜: 'x' });
    // what the rewrite does change: the text of the expression
    expect(after[0].source).toBe('\\u4e0d\\u5b58\\u5728|not ?exist');
    expect(after[4].source).toBe('^\\u62a5$');
    expect(after[5].source).toBe('^\\\\\\u62a5$');
  });

  it('fails where an escape would not mean the same, or esbuild should have written ASCII', () => {
    const where = (kind: string, column: number) =>
      new RegExp(`beyond ASCII in ${kind}, at line 2 column ${column}, outside any comment`);
    expect(() => asciiOnly('// 报\nresult = String.raw`报${1}`;')).toThrow(
      where("a template literal's text", 21),
    );
    expect(() => asciiOnly('// 报\nresult = tag`a ${1} 菜`;')).toThrow(
      where("a template literal's text", 21),
    );
    expect(() => asciiOnly("// 报\nresult = '报菜';")).toThrow(where('a string literal', 11));
    expect(() => asciiOnly('// 报\nconst 菜 = 1;')).toThrow(where('a name', 7));
    expect(() => asciiOnly('// 报\nclass A { #菜 = 1; }')).toThrow(where('a private name', 12));
    expect(() => asciiOnly('// 报\nresult\u00a0= 1;')).toThrow(
      /beyond ASCII between tokens, at line 2 column 7/,
    );
    expect(() => asciiOnly('// 报\nresult = "报";')).toThrow(/: "\/\/ 报\\nresult = \\"报\\";"$/);
  });

  it('fails on a bundle it cannot parse as a script', () => {
    expect(() => asciiOnly('// 报\nimport a from "a";')).toThrow(/does not parse as a script/);
  });

  it('leaves an ASCII source as it was', () => {
    const ascii = "const a = 'b'; // c\n";
    expect(asciiOnly(ascii)).toBe(ascii);
  });
});

describe('nameOnlyWhereItDiffers (esbuild’s __name helper)', () => {
  const helper = 'var __name = (target, value) => __defProp(target, "name", { value, configurable: true });';

  it('defines a name only where it differs', () => {
    const source = `var __defProp = Object.defineProperty;\n${helper}\nresult = [__name(function f() {}, 'f'), __name(() => 1, 'g')];`;
    const context: { result?: Array<{ name: string }> } = {};
    runInNewContext(nameOnlyWhereItDiffers(source, 'service.js'), context);
    expect(context.result!.map((fn) => fn.name)).toEqual(['f', 'g']);
  });

  it('fails the build when esbuild wrote the helper otherwise, or twice', () => {
    expect(() => nameOnlyWhereItDiffers('var __name = () => {};', 'service.js')).toThrow(/not found once/);
    expect(() => nameOnlyWhereItDiffers(`${helper}\n${helper}`, 'service.js')).toThrow(/not found once/);
  });
});
