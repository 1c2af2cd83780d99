import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';

test('defaults: port 4000, ./data, SQLite in the data directory', () => {
  const config = loadConfig({});
  expect(config.PORT).toBe(4000);
  expect(config.dataDir).toBe(path.resolve('data'));
  expect(config.databaseUrl).toBe(`sqlite:${path.resolve('data', 'lms-import.sqlite')}`);
  expect(config.MAX_UPLOAD_BYTES).toBe(104857600);
  expect(config.LMS_IMPORT_PLUGINS).toEqual([]);
});

test('values are parsed: lists, per-adapter limits, MySQL URL', () => {
  const config = loadConfig({
    PORT: '8080',
    DATABASE_URL: 'mysql://root@127.0.0.1:3306/lms',
    LMS_IMPORT_PLUGINS: ' ./a , b ',
    MAX_UPLOAD_BYTES_BY_ADAPTER: 'blackboard-enrollment=1048576, learners=2048',
    MAX_RECORDS_BY_ADAPTER: 'blackboard-enrollment=500',
  });
  expect(config).toMatchObject({
    PORT: 8080,
    databaseUrl: 'mysql://root@127.0.0.1:3306/lms',
    LMS_IMPORT_PLUGINS: ['./a', 'b'],
    MAX_UPLOAD_BYTES_BY_ADAPTER: { 'blackboard-enrollment': 1048576, learners: 2048 },
    MAX_RECORDS_BY_ADAPTER: { 'blackboard-enrollment': 500 },
  });
});

test.each([
  ['PORT', 'eighty'],
  ['PORT', '70000'],
  ['DATABASE_URL', 'postgres://x'],
  ['MAX_UPLOAD_BYTES', '-1'],
  ['ADMIN_TOKEN', 'short'],
  ['MAX_RECORDS_BY_ADAPTER', 'blackboard-enrollment'],
  ['LOG_LEVEL', 'loud'],
])('a bad %s (%s) stops the start with a message naming it', (name, value) => {
  expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
});

test('a split import needs MySQL/MariaDB: PARTITIONS over 1 on SQLite stops the start, naming it', () => {
  expect(() => loadConfig({ PARTITIONS: '4' })).toThrow(/PARTITIONS: SQLite has one writer/);
  expect(() => loadConfig({ PARTITIONS: '4', DATABASE_URL: 'sqlite:/tmp/x.sqlite' })).toThrow(ConfigError);
  expect(loadConfig({ PARTITIONS: '4', DATABASE_URL: 'mysql://root@127.0.0.1:3306/lms' }).PARTITIONS).toBe(4);
  expect(loadConfig({}).PARTITION_MIN_RECORDS).toBe(500_000);
  expect(() => loadConfig({ PARTITION_MIN_RECORDS: 'many' })).toThrow(/PARTITION_MIN_RECORDS/);
});
