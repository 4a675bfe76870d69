'use strict';
// `node bench/support/profile-summary.js <file.cpuprofile> [--functions N]`: where a V8 CPU profile spent its time,
// as self time per package (node_modules/<pkg>), per folder of ours (src/<dir>), Node's internals and V8's own
// entries (GC, idle, program), then the N hottest functions. Made to read `npm run bench -- delivery --profile DIR`.
const { existsSync, readFileSync } = require('node:fs');
const { fileURLToPath } = require('node:url');
const { profileFromArgs } = require('./cpu-profile');

const { file, topFunctions, profile, nodes } = profileFromArgs('profile-summary.js', 25);
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

/**
 * The service runs as one esbuild bundle (dist/service.js), so a frame's URL names the bundle, not the package. esbuild
 * starts each bundled file with a `// node_modules/<pkg>/…` or `// dist/src/<dir>/…` comment: a frame's line is
 * credited to the file whose comment comes last before it.
 */
const bundles = new Map();
function bundledFile(url, line) {
  if (!bundles.has(url)) {
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    const starts = [];
    if (path.endsWith('.js') && existsSync(path)) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((text, i) => {
          const start = /^\/\/ ((?:node_modules|dist\/src)\/\S+\.[cm]?js)$/.exec(text);
          if (start) starts.push([i, start[1]]);
        });
    }
    bundles.set(url, starts);
  }
  const starts = bundles.get(url);
  let low = 0;
  let high = starts.length - 1;
  let found;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (starts[mid][0] <= line) {
      found = starts[mid][1];
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

function area(frameUrl, name, line) {
  if (!frameUrl) return name.startsWith('(') ? name : '(native)';
  const inBundle = bundledFile(frameUrl, line);
  const url = inBundle ? `/${inBundle}` : frameUrl;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const ours = /\/(src|dist\/src)\/([^/]+)/.exec(url);
  if (ours) return `src/${ours[2].replace(/\.js$/, '')}`;
  return url.replace(/^file:\/\//, '');
}

const byArea = new Map();
const byFunction = new Map();
let total = 0;
for (const [id, us] of selfUs) {
  const { callFrame } = nodes.get(id);
  const where = area(callFrame.url, callFrame.functionName, callFrame.lineNumber);
  byArea.set(where, (byArea.get(where) ?? 0) + us);
  const name = `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  total += us;
}
const busy = total - (byArea.get('(idle)') ?? 0);
const line = ([name, us]) =>
  `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${name}`;
console.log(
  `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s not idle (shares below)`,
);
console.log('\nself time by area');
for (const entry of [...byArea]
  .filter(([n]) => n !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, 30))
  console.log(line(entry));
console.log(`\nhottest ${topFunctions} functions (self time)`);
for (const entry of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, topFunctions))
  console.log(line(entry));
