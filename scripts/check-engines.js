// Every package the lock installs must run on the oldest Node that package.json's `engines`
// admits (and so on the Docker image's): npm only warns (EBADENGINE) about the Node it runs on.
// `node scripts/check-engines.js` exits 1 naming each package that needs more; CI runs it.
const fs = require('node:fs');
const path = require('node:path');
const semver = require('semver');

/** The locked packages whose `engines.node` the oldest admitted Node does not satisfy. */
function engineMismatches(root = path.resolve(__dirname, '..')) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const oldest = semver.minVersion(manifest.engines.node).version;
  const mismatches = [];
  for (const [where, entry] of Object.entries(lock.packages)) {
    const wanted = entry.engines?.node;
    if (!where || !wanted || semver.satisfies(oldest, wanted)) continue;
    mismatches.push({ package: where.replace(/^.*node_modules\//, ''), version: entry.version, node: wanted, oldest });
  }
  return mismatches;
}

module.exports = { engineMismatches };

if (require.main === module) {
  const mismatches = engineMismatches();
  for (const m of mismatches) console.error(`${m.package}@${m.version} needs Node ${m.node}; package.json admits Node ${m.oldest}`);
  if (mismatches.length > 0) process.exit(1);
  console.log('every locked package runs on the Node that package.json admits');
}
