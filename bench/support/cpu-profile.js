'use strict';
// What bench/support/profile-summary.js and profile-inclusive.js share: their command line
// (`<file.cpuprofile> [--functions N]`) and the profile it names, read with its nodes by id.
const { readFileSync } = require('node:fs');

/** The profile named on the command line of `script`, and how many functions to list (`--functions N`). */
function profileFromArgs(script, defaultFunctions) {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) {
    console.error(`usage: node bench/support/${script} <file.cpuprofile> [--functions N]`);
    process.exit(2);
  }
  const topFunctions = rest[0] === '--functions' ? Number(rest[1]) : defaultFunctions;
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  return { file, topFunctions, profile, nodes };
}

module.exports = { profileFromArgs };
