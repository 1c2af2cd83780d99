import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdapterLoadError, AdapterRegistry, builtInPluginsDir } from '../../src/adapters/registry';

/** A plugin written as a plain CommonJS module, as a published package would ship it. */
function pluginSource(overrides: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    apiVersion: '1',
    name: "'demo'",
    label: "'Demo'",
    description: "'A demo adapter'",
    columns: "[{ name: 'code', label: 'Code', description: 'A code', required: true }]",
    rowSchema: '{ safeParse: (v) => ({ success: true, data: v }) }',
    onExisting: "{ choices: ['REJECT'], default: 'REJECT' }",
    exampleFile: '__filename',
    resolve: 'async (rows) => rows.map(() => ({ action: "unchanged" }))',
    persist: 'async () => {}',
    ...overrides,
  };
  const body = Object.entries(fields)
    .filter(([, value]) => value !== 'OMIT')
    .map(([key, value]) => `  ${key}: ${value},`)
    .join('\n');
  return `module.exports = {\n${body}\n};\n`;
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-registry-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writePlugin(name: string, source: string): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'index.js'), source);
  return folder;
}

test('loads every built-in adapter folder', () => {
  const registry = AdapterRegistry.load();
  const folders = fs.readdirSync(builtInPluginsDir, { withFileTypes: true }).filter((e) => e.isDirectory() && !/^[._]/.test(e.name));
  expect(registry.list().map((a) => a.name).sort()).toEqual(folders.map((f) => f.name).sort());
});

test('loads a plugin from LMS_IMPORT_PLUGINS by path', () => {
  const folder = writePlugin('demo', pluginSource());
  const registry = AdapterRegistry.load({ pluginsDir: path.join(dir, 'none'), extra: [folder] });
  expect(registry.get('demo')?.label).toBe('Demo');
});

test.each([
  ['a wrong API version', { apiVersion: '99' }, /Adapter "demo" .*plugin API version 99/],
  ['a missing resolve', { resolve: 'OMIT' }, /Adapter "demo" .*resolve/],
  ['no columns', { columns: '[]' }, /Adapter "demo" .*columns/],
  ['a default onExisting outside its choices', { onExisting: "{ choices: ['REJECT'], default: 'UPDATE' }" }, /Adapter "demo".*onExisting/],
  ['a row schema that is not a schema', { rowSchema: '{}' }, /Adapter "demo" .*rowSchema/],
  ['an example file that does not exist', { exampleFile: "'/nope.csv'" }, /Adapter "demo" .*exampleFile/],
  ['a name that is not lower-case', { name: "'Demo Adapter'" }, /Adapter "Demo Adapter" .*name/],
  ['a partitionKey that is not one of its columns', { partitionKey: "'login'" }, /Adapter "demo" .*partitionKey "login" is not one of its columns/],
  ['a partitionKey that is not a column name', { partitionKey: '(row) => row.code' }, /Adapter "demo" .*partitionKey/],
  ['a package member named with a path', { package: "{ members: [{ file: '../users.csv', adapter: { ...module.exports } }] }" }, /Adapter "demo" .*package.members.0.file: must be a plain file name/],
  ['a package member that is not a valid adapter', { package: "{ members: [{ file: 'users.csv', adapter: { name: 'member' } }] }" }, /Adapter "member" \(.*member users.csv\)/],
  ['a package member that is itself a package', { package: "{ members: [{ file: 'a.csv', adapter: { name: 'inner', package: { members: [] } } }] }" }, /member a.csv is itself a package/],
])('refuses %s, naming the adapter', (_what, overrides, message) => {
  const folder = writePlugin('demo', pluginSource(overrides));
  expect(() => AdapterRegistry.load({ pluginsDir: path.join(dir, 'none'), extra: [folder] })).toThrow(message);
});

test('refuses two adapters with the same name', () => {
  writePlugin('one', pluginSource());
  writePlugin('two', pluginSource());
  expect(() => AdapterRegistry.load({ pluginsDir: dir })).toThrow(/Adapter "demo" \(plugins\/two\) is defined twice/);
});

test('a plugin that cannot be found or throws while loading stops the load with its name', () => {
  expect(() => AdapterRegistry.load({ pluginsDir: path.join(dir, 'none'), extra: ['lms-import-plugin-missing'] })).toThrow(
    AdapterLoadError,
  );
  const folder = writePlugin('broken', 'throw new Error("boom");');
  expect(() => AdapterRegistry.load({ pluginsDir: path.join(dir, 'none'), extra: [folder] })).toThrow(/broken.*boom/);
});
