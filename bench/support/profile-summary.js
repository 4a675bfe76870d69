'use strict';
// `node bench/support/profile-summary.js <file.cpuprofile> [--functions N]`: where a V8 CPU profile spent its time,
// as self time per package (node_modules/<pkg>), per folder of ours (src/<dir>), Node's internals and V8's own
// entries (GC, idle, program), then the N hottest functions. Made to read `npm run bench -- delivery --profile DIR`.
const { readFileSync } = require('node:fs');

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/support/profile-summary.js <file.cpuprofile> [--functions N]');
  process.exit(2);
}
const topFunctions = rest[0] === '--functions' ? Number(rest[1]) : 25;
const profile = JSON.parse(readFileSync(file, 'utf8'));

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

function area(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native)';
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
  const where = area(callFrame.url, callFrame.functionName);
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
