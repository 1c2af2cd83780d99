import fs from 'node:fs';
import fc from 'fast-check';
import type { AnyAdapter } from '../../src/adapters/define-adapter';
import { AdapterRegistry } from '../../src/adapters/registry';
import { prepareRecord, type PendingRecord } from '../../src/pipeline/batch';
import { readAll, type CsvItem } from '../../src/pipeline/csv-reader';
import { looksLikeHeader, mapHeader, positionalMapping } from '../../src/pipeline/header';
import { BatchDecoder, ColumnBatch } from '../../src/pipeline/record-codec';
import { detectDelimiter } from '../../src/pipeline/sniff';
import { rowRecipe, rowSchemaFromRecipe } from '../../src/pipeline/validate';

/**
 * What the reading thread hands over (ColumnBatch, with the row schema made again from its
 * recipe, then a structured clone as postMessage makes, then BatchDecoder) must be, record for
 * record, what prepareRecord gives on the job's thread with the adapter's own schema: line,
 * fields, raw text, data (same keys, same order) and issues.
 */

const registry = AdapterRegistry.load();
const withRecipes = ['course-stats', 'learners', 'lesson-stats'].map((name) => registry.get(name)!);

const view = (record: PendingRecord) => JSON.stringify({ line: record.line, fields: record.fields, raw: record.raw, data: record.data, issues: record.issues });

/** The records of the adapter's example file, as fields. */
function exampleRows(adapter: AnyAdapter): string[][] {
  const text = fs.readFileSync(adapter.exampleFile, 'utf8').replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(text, adapter.format?.delimiters, adapter.columns.length, adapter.format?.escape) ?? ',';
  const records = readAll(text, { delimiter, maxRecordSize: 65536 }).flatMap((item) => (item.kind === 'record' ? [item.fields] : []));
  if (looksLikeHeader(records[0], adapter)) {
    const { mapping } = mapHeader(records.shift()!, adapter);
    return records.map((fields) => mapping.positions.map((at) => (at >= 0 ? (fields[at] ?? '') : '')));
  }
  return records;
}

const junk = ['', ' ', 'x', '101', '87,5', '-1', '1:2:3', '31/02/2020', '2013-03-25', 'Y', 'n', 'a@b', '\u0000', '\uFFFD', "'=1", 'é'.repeat(101), 'ZZ'];

/** Items as the tokenizer gives them: records (mostly the example's values, sometimes junk, some too long or short) and problems. */
function itemsArbitrary(adapter: AnyAdapter): fc.Arbitrary<CsvItem[]> {
  const examples = exampleRows(adapter);
  const width = adapter.columns.length;
  const cell = (column: number) =>
    fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...examples.map((row) => row[column] ?? '')) }, { weight: 1, arbitrary: fc.constantFrom(...junk) });
  const record = fc
    .tuple(fc.tuple(...Array.from({ length: width }, (_, column) => cell(column))), fc.constantFrom(0, 0, 0, 0, -1, 1, 2))
    .map(([fields, change]): string[] => (change < 0 ? fields.slice(0, width - 1) : [...fields, ...Array.from({ length: change }, () => 'extra')]));
  const problem = fc.constantFrom<Omit<Extract<CsvItem, { kind: 'problem' }>, 'line'>>(
    { kind: 'problem', code: 'UNCLOSED_QUOTE', detail: 'a quote is never closed', params: {}, raw: '"abc;def' },
    { kind: 'problem', code: 'MALFORMED_RECORD', detail: 'text after a closing quote', params: { atLine: 3, atColumn: 5 }, raw: '"a"b;c' },
  );
  const item = fc.oneof({ weight: 20, arbitrary: record.map((fields) => ({ kind: 'record' as const, fields })) }, { weight: 1, arbitrary: problem });
  return fc.array(item, { minLength: 1, maxLength: 40 }).map((items) => items.map((entry, i) => ({ ...entry, line: i + 2 }) as CsvItem));
}

describe.each(withRecipes.map((adapter) => [adapter.name, adapter] as const))('%s: a batch handed over by columns', (_name, adapter) => {
  const rebuilt = { columns: adapter.columns, rowSchema: rowSchemaFromRecipe(rowRecipe(adapter.rowSchema)!) };
  const recipe = rowRecipe(adapter.rowSchema)!;

  test('is, record for record, what prepareRecord gives', () => {
    let columnar = 0;
    fc.assert(
      fc.property(itemsArbitrary(adapter), fc.boolean(), fc.integer({ min: 1, max: 9 }), (items, hasHeader, capacity) => {
        const mapping = positionalMapping(adapter);
        const builder = new ColumnBatch(rebuilt, hasHeader, recipe, capacity);
        const decoder = new BatchDecoder();
        const decoded: PendingRecord[] = [];
        for (const item of items) {
          builder.add(item, mapping);
          if (builder.size === capacity) decoded.push(...decoder.decode(structuredClone(builder.take().batch)));
        }
        if (builder.size > 0) decoded.push(...decoder.decode(structuredClone(builder.take().batch)));
        const expected = items.map((item) => prepareRecord(item, mapping, adapter, hasHeader));
        expect(decoded.map(view)).toEqual(expected.map(view));
        columnar += expected.filter((record) => record.issues.length === 0 && record.data !== undefined).length;
      }),
      { numRuns: 300 },
    );
    expect(columnar).toBeGreaterThan(300); // many records went by columns
  });
});

test('dictionaries start over when full, in step on both sides, and strings come back whole', () => {
  const adapter = registry.get('learners')!;
  const recipe = rowRecipe(adapter.rowSchema)!;
  const builder = new ColumnBatch({ columns: adapter.columns, rowSchema: rowSchemaFromRecipe(recipe) }, false, recipe, 5000);
  const decoder = new BatchDecoder();
  const mapping = positionalMapping(adapter);
  // 16 batches of 5000 logins never seen before, each batch also naming the first login again.
  for (let batch = 0; batch < 16; batch++) {
    const logins = Array.from({ length: 5000 }, (_, i) => (i === 0 ? 'first-learner-of-all' : `learner-${batch}-${i}-with-a-long-name`));
    logins.forEach((login, i) => builder.add({ kind: 'record', line: i + 2, fields: [login, 'Ann', 'Lee', '', 'Y'] }, mapping));
    const { batch: encoded } = builder.take();
    const records = decoder.decode(structuredClone(encoded));
    expect(records.map((record) => (record.data as { user_loginid: string }).user_loginid)).toEqual(logins);
  }
});
