import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const { asciiOnly, nameOnlyWhereItDiffers } = createRequire(__filename)('../../scripts/bundle-text.js') as {
  asciiOnly: (source: string) => string;
  nameOnlyWhereItDiffers: (source: string, file: string) => string;
};

describe('asciiOnly (the bundle as a one-byte string)', () => {
  // Every place a character beyond ASCII can stand in a script, with one beyond the BMP (two UTF-16 code units).
  const source = [
    '// a comment: ≥ 0, 报菜',
    '/* a block comment – done */',
    "const text = '报菜 ≥ 0 🍜';",
    'const template = `报菜 ${text.length}`;',
    "const matches = [/^报.$/.test('报菜'), /[🍜]/u.test('🍜'), /🍜/.test('🍜')];",
    'const 菜 = 2;',
    'result = { text, template, matches, name: 菜 };',
  ].join('\n');

  it('leaves no character beyond ASCII', () => {
    expect(asciiOnly(source)).not.toMatch(/[\u0080-\uffff]/);
  });

  it('means the same as the source it rewrote', () => {
    const before: { result?: unknown } = {};
    const after: { result?: unknown } = {};
    runInNewContext(source, before);
    runInNewContext(asciiOnly(source), after);
    expect(after.result).toEqual(before.result);
    expect(after.result).toEqual({
      text: '报菜 ≥ 0 🍜',
      template: '报菜 9',
      matches: [true, true, true],
      name: 2,
    });
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
