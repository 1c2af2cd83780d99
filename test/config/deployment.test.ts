import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

// What the project ships to run it: the Node it admits, the Docker image, the compose file.
const root = path.join(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const { engineMismatches } = require(path.join(root, 'scripts/check-engines.js'));

test('every locked package runs on the oldest Node that package.json admits', () => {
  expect(engineMismatches(root)).toEqual([]);
});

test('the engine check names a package that needs a newer Node', () => {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'engines-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ engines: { node: '>=20.19' } }));
  const packages = { '': {}, 'node_modules/a/node_modules/new': { version: '2.0.1', engines: { node: '>=22.15.0' } }, 'node_modules/old': { version: '1.0.0', engines: { node: '>=16' } } };
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ packages }));
  expect(engineMismatches(dir)).toEqual([{ package: 'new', version: '2.0.1', node: '>=22.15.0', oldest: '20.19.0' }]);
  fs.rmSync(dir, { recursive: true });
});

test('the Docker image runs a Node that package.json admits, and npm refuses a wrong one', () => {
  const range = JSON.parse(read('package.json')).engines.node;
  for (const [, major] of read('Dockerfile').matchAll(/^FROM node:(\d+)/gm)) {
    expect(semver.intersects(`${major}.x`, range)).toBe(true);
  }
  expect(read('.npmrc')).toMatch(/^engine-strict=true$/m);
});

test('docker-compose starts MySQL with local_infile on, for the LOAD DATA LOCAL write path', () => {
  const mysql = read('docker-compose.yml').split(/\n {2}(?=\S)/).find((service) => service.startsWith('mysql:'));
  expect(mysql).toMatch(/command: \[.*"--local-infile=1".*\]/);
});

test('docker-compose runs an API and workers on one Redis (noeviction, appendonly) sharing the uploads volume', () => {
  const compose = read('docker-compose.yml');
  const service = (name: string) => compose.split(/\n {2}(?=\S)/).find((block) => block.startsWith(`${name}:`)) ?? '';
  expect(service('api')).toMatch(/PROCESS_ROLE: api/);
  expect(service('worker')).toMatch(/PROCESS_ROLE: worker/);
  expect(service('redis')).toMatch(/"--maxmemory-policy", "noeviction", "--appendonly", "yes"/);
  // Both take the anchor's settings: the same database, Redis and data volume.
  expect(service('api')).toMatch(/<<: \*lms-import/);
  expect(service('worker')).toMatch(/<<: \*lms-import/);
  expect(compose).toMatch(/x-lms-import: &lms-import[\s\S]*REDIS_URL: redis:\/\/redis:6379[\s\S]*- lms-data:\/data/);
});
