import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import blackboard from '../../plugins/blackboard-enrollment';
import lessonStats from '../../plugins/lesson-stats';
import oneroster from '../../plugins/oneroster';
import type { CsvItem } from '../../src/pipeline/csv-reader';
import { positionalMapping } from '../../src/pipeline/header';
import type { ImportFile } from '../../src/imports/import-file.entity';
import type { ImportJob } from '../../src/imports/import-job.entity';
import { partRule, partitionOf, Partitions } from '../../src/pipeline/partitions';
import { RejectsWriter, mergeIndexedRejects } from '../../src/pipeline/rejects-writer';

describe('the parts of a split import', () => {
  test('a key goes to the same part on every worker: FNV-1a of the key', () => {
    expect(partitionOf('a', 1000)).toBe(0xe40c292c % 1000); // the published FNV-1a 32-bit of "a"
    expect(partitionOf('', 7)).toBe(0x811c9dc5 % 7);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[partitionOf(`k${i}`, 4)]++;
    for (const count of counts) expect(count).toBeGreaterThan(800); // spread, not all in one
  });

  test("the parts' rejects files merged are the one stream's file, byte for byte", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-parts-'));
    try {
      const header = ['user_loginid', 'score'];
      const records = Array.from({ length: 3000 }, (_, i) => ({
        line: i + 2 + Math.floor(i / 10), // some records span lines
        fields: i % 7 === 0 ? [`k${i}`, `=${i}`] : [`k${i}`, i % 11 === 0 ? 'with ; "quotes"\nand a line' : 'é'],
        raw: i % 13 === 0 ? `k${i};"unclosed\r\n` : null,
      }));
      const one = new RejectsWriter(path.join(dir, 'one.csv'), ';', 0);
      const parts = [0, 1, 2].map((part) => new RejectsWriter(path.join(dir, `part-${part}`), ';', 0, true));
      one.header = header;
      for (const part of parts) part.header = header;
      for (const [i, record] of records.entries()) {
        const part = parts[partitionOf(record.fields[0], 3)];
        for (const writer of [one, part]) {
          if (record.raw) writer.addRaw(record.raw, record.line);
          else writer.add(record.fields, record.line);
        }
        if (i % 100 === 99) for (const writer of [one, ...parts]) writer.flush();
      }
      for (const writer of [one, ...parts]) {
        writer.flush();
        writer.close();
      }
      const target = path.join(dir, 'merged.csv');
      const length = await mergeIndexedRejects([0, 1, 2, 3].map((part) => path.join(dir, `part-${part}`)), target, 1); // part 3 wrote nothing
      expect(fs.readFileSync(target)).toEqual(fs.readFileSync(path.join(dir, 'one.csv')));
      expect(length).toBe(fs.statSync(target).size);
      expect(fs.readdirSync(dir).filter((name) => name.endsWith('.merging'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('parts that rejected nothing merge into no rejects at all', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-parts-'));
    try {
      expect(await mergeIndexedRejects([path.join(dir, 'none')], path.join(dir, 'merged.csv'), 1)).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('which part a record is', () => {
  const parts = (index: number) => ({ partitions: 3, partitionIndex: index });

  test("from its key cell, before the rest is validated, when the schema checks that column without zod: each record is one part's", () => {
    const rules = [0, 1, 2].map((index) => partRule(parts(index), lessonStats)!);
    expect(rules.every((rule) => rule.keep && !rule.owns)).toBe(true);
    const mapping = positionalMapping(lessonStats);
    const items: CsvItem[] = [
      ...Array.from({ length: 300 }, (_, i): CsvItem => ({ kind: 'record', line: i + 2, fields: [`k${i}`, 'K1', 'i1', 'L', 'P', 'not a date', '', '', ''] })),
      { kind: 'record', line: 400, fields: ['', 'K1'] }, // no key: part 0's
      { kind: 'problem', line: 401, code: 'UNCLOSED_QUOTE', detail: 'a quote is not closed', raw: '"k1;', params: {} },
    ];
    const owners = items.map((item) => rules.filter((rule) => rule.keep!(item, mapping)).length);
    expect(owners.every((count) => count === 1)).toBe(true);
    expect(rules[0].keep!(items[300], mapping)).toBe(true);
    expect(rules[0].keep!(items[301], mapping)).toBe(true);
    // The key's part, whatever the other cells hold (the date above is invalid).
    expect(rules[partitionOf('k7', 3)].keep!(items[7], mapping)).toBe(true);
    expect(new Set(items.slice(0, 300).map((item) => rules.findIndex((rule) => rule.keep!(item, mapping)))).size).toBe(3);
  });

  test('from the validated row for a schema that zod validates; a record that did not validate is part 0s', () => {
    const rules = [0, 1, 2].map((index) => partRule(parts(index), blackboard)!);
    expect(rules.every((rule) => rule.owns && !rule.keep)).toBe(true);
    const record = (data: unknown) => ({ line: 1, fields: [], raw: null, issues: [], data });
    expect(rules.filter((rule) => rule.owns!(record({ username: 'jdoe' })))).toHaveLength(1);
    expect(rules[partitionOf('jdoe', 3)].owns!(record({ username: 'jdoe' }))).toBe(true);
    expect(rules[0].owns!(record(undefined))).toBe(true);
    expect(rules[1].owns!(record(undefined))).toBe(false);
  });

  test('a job that is not a part has no rule', () => {
    expect(partRule({ partitions: 0, partitionIndex: null }, lessonStats)).toBeNull();
  });
});

describe('a package import', () => {
  it('is never split, whatever its size and even with a partition key: its members are read one after the other', async () => {
    const deps = {
      store: { kind: 'mysql' },
      config: { REDIS_URL: 'redis://127.0.0.1:6379', PARTITIONS: 4, PARTITION_MIN_RECORDS: 1 },
      // Counting the lines of the (zip) file would throw: the package is refused before.
      files: { uploadPath: () => path.join(os.tmpdir(), 'no-such-package.zip') },
    } as unknown as ConstructorParameters<typeof Partitions>[0];
    const partitions = new Partitions(deps);
    partitions.attach({ workers: async () => 4 } as unknown as Parameters<Partitions['attach']>[0]);
    const job = { dryRun: false, parentId: null, recordsDone: 0 } as ImportJob;
    const file = { size: 10_000_000, hasHeader: true, storedName: 'x' } as ImportFile;
    expect(await partitions.partsFor(job, file, { ...oneroster, partitionKey: 'propertyName' })).toBe(0);
    // The same adapter without its package would be split (the file is then counted).
    await expect(partitions.partsFor(job, file, { ...oneroster, package: undefined, partitionKey: 'propertyName' })).rejects.toThrow(/no-such-package/);
  });
});
