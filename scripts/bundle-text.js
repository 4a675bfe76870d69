'use strict';
// The two rewrites scripts/bundle.js makes to esbuild's output (dist/service.js), kept apart so that a test can hold
// them to their word (test/build/bundle-text.spec.ts).
const { getLineInfo, parse, tokTypes } = require('acorn');

/**
 * keepNames wraps every function esbuild named in its `__name` helper, which calls Object.defineProperty each time the
 * function is made: also the closures made on every request (Fastify's hook runner, Nest's execution context, rxjs),
 * almost all of which already carry that name. Defining it only where it differs gives every function the same `name`
 * and cost 0.94× the CPU per request, measured interleaved (docs/performance.md, round 3). The helper's text is
 * esbuild's own: an esbuild that writes it differently fails the build here rather than silently keeping the old cost.
 */
function nameOnlyWhereItDiffers(source, file) {
  const helper = 'var __name = (target, value) => __defProp(target, "name", { value, configurable: true });';
  const at = source.indexOf(helper);
  if (at === -1 || source.indexOf(helper, at + 1) !== -1) {
    throw new Error(
      `scripts/bundle.js: esbuild's __name helper not found once in ${file}; update nameOnlyWhereItDiffers`,
    );
  }
  const cheaper =
    'var __name = (target, value) => target.name === value ? target : __defProp(target, "name", { value, configurable: true });';
  return source.slice(0, at) + cheaper + source.slice(at + helper.length);
}

/**
 * Node keeps a module's source in the heap as one string for as long as the module lives, and V8 stores a string
 * that has any character beyond Latin-1 with two bytes per character: one '≥' in a comment of a bundled package made
 * the bundle's 7.4 MB take about 14.2 MiB of the service's heap (docs/performance.md, round 5). esbuild (its default
 * charset, ASCII) escapes strings and names, but leaves comments, regular expression literals and a template's raw
 * text as they were in the source. The bundle is parsed as a script (acorn), and each character beyond ASCII:
 * - in a comment, is written as its \u escape (its UTF-16 code units): harmless text, though the toString() of a
 *   function whose body holds the comment shows the escape;
 * - in a regular expression literal, is written as its \u escape too (a `\` that escaped it is dropped): the pattern
 *   matches exactly what it did, with or without the u or v flag (a character beyond the BMP becomes the escapes of
 *   its two code units, which under u or v stand for the one code point), but the expression's `.source` and
 *   toString(), and those of a function that holds it, show the escape;
 * - anywhere else fails the build, naming where: in a template's raw text the escape would change what String.raw and
 *   tagged templates read; as space between tokens it would not parse; and in a string or a name, where esbuild
 *   writes only ASCII, one means esbuild's output has changed, to be looked at before it is rewritten.
 */
function asciiOnly(source) {
  if (!BEYOND_ASCII.test(source)) return source;
  const escapable = []; // comments and regular expression literals: [start, end) in the source
  parseAsScript(source, {
    onComment: (block, text, start, end) => escapable.push({ start, end, regexp: false }),
    onToken: (token) => {
      if (token.type === tokTypes.regexp)
        escapable.push({ start: token.start, end: token.end, regexp: true });
    },
  });
  escapable.sort((a, b) => a.start - b.start);
  let next = 0;
  // A character beyond ASCII with the backslashes right before it (an odd number of them escape it).
  return source.replace(/(\\*)([^\0-\x7f])/g, (match, backslashes, char, offset) => {
    const at = offset + backslashes.length;
    while (next < escapable.length && escapable[next].end <= at) next++;
    const range = escapable[next];
    if (range === undefined || range.start > at) throw new Error(notEscapable(source, at));
    const escape = `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    // In a regular expression `\报` is an identity escape of 报, which `\u62a5` is already; `\\u62a5` would not be.
    return range.regexp && backslashes.length % 2 === 1
      ? backslashes.slice(1) + escape
      : backslashes + escape;
  });
}

const BEYOND_ASCII = /[^\0-\x7f]/;

// esbuild's CommonJS bundle: a script, as Node's module wrapper will compile it (a top-level `return` is allowed).
function parseAsScript(source, options) {
  try {
    parse(source, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowHashBang: true,
      allowReturnOutsideFunction: true,
      ...options,
    });
  } catch (error) {
    throw new Error(`scripts/bundle-text.js: the bundle does not parse as a script: ${error.message}`, {
      cause: error,
    });
  }
}

function notEscapable(source, at) {
  let within = 'between tokens';
  parseAsScript(source, {
    onToken: (token) => {
      if (token.start <= at && at < token.end)
        within = `in ${KINDS.get(token.type) ?? `a '${token.type.label}' token`}`;
    },
  });
  const { line, column } = getLineInfo(source, at);
  const snippet = JSON.stringify(source.slice(Math.max(0, at - 40), at + 40));
  return `scripts/bundle-text.js: a character beyond ASCII ${within}, at line ${line} column ${column + 1}, outside any comment or regular expression literal (the only places it is escaped): ${snippet}`;
}

const KINDS = new Map([
  [tokTypes.string, 'a string literal'],
  [tokTypes.template, "a template literal's text"],
  [tokTypes.invalidTemplate, "a template literal's text"],
  [tokTypes.name, 'a name'],
  [tokTypes.privateId, 'a private name'],
]);

module.exports = { nameOnlyWhereItDiffers, asciiOnly };
