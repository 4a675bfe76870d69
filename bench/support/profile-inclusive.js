'use strict';
// `node bench/support/profile-inclusive.js <file.cpuprofile> [--functions N]`: the N functions a V8 CPU profile spent
// the most time in, their callees included (a sample counts once for every function on its stack), as shares of the
// time not idle. Where profile-summary.js says which code ran, this says on whose behalf: e.g. that most of the time
// in `writev` was a query's (node-postgres's submit) rather than a response's.
const { profileFromArgs } = require('./cpu-profile');

const { file, topFunctions, profile, nodes } = profileFromArgs('profile-inclusive.js', 45);
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

const inclusiveUs = new Map();
let busyUs = 0;
let idleUs = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  if (nodes.get(id).callFrame.functionName === '(idle)') {
    idleUs += us;
    return;
  }
  busyUs += us;
  const seen = new Set();
  for (let at = id; at !== undefined; at = parentOf.get(at)) {
    const { functionName, url, lineNumber } = nodes.get(at).callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber}`;
    if (seen.has(key)) continue; // Recursion: once per sample.
    seen.add(key);
    inclusiveUs.set(key, (inclusiveUs.get(key) ?? 0) + us);
  }
});

console.log(`${file}: ${(busyUs / 1e6).toFixed(1)} s not idle, ${(idleUs / 1e6).toFixed(1)} s idle`);
for (const [key, us] of [...inclusiveUs].sort((a, b) => b[1] - a[1]).slice(0, topFunctions)) {
  console.log(
    `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / busyUs).toFixed(1).padStart(5)} %  ${key}`,
  );
}
