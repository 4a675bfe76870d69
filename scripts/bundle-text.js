'use strict';
// The two rewrites scripts/bundle.js makes to esbuild's output (dist/service.js), kept apart so that a test can hold
// them to their word (test/build/bundle-text.spec.ts).

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
 * the bundle's 7 MB take 14.6 MiB of the service's heap (docs/performance.md, round 5). esbuild already writes
 * strings, regular expressions and names in ASCII (its default charset); comments it leaves as they were. Every
 * character beyond ASCII that remains is written as its \u escape (UTF-16 code units, as JavaScript's escapes are):
 * the same character in a string, a template, a regular expression or a name, and harmless text in a comment.
 */
function asciiOnly(source) {
  return source.replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

module.exports = { nameOnlyWhereItDiffers, asciiOnly };
