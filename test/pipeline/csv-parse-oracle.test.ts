import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { CsvReader, type CsvItem } from '../../src/pipeline/csv-reader';

// The tokenizer is the project's own (see csv-reader.ts for why); on well-formed files it must
// read exactly what csv-parse reads — the same records and fields, however the text is cut into
// chunks — and number lines as csv-parse does. (Where a quoted field holds a line break before
// csv-parse has seen a record end, csv-parse counts a CRLF in it as two lines: lines are
// compared on files without line breaks in fields.)

const cell = fc.stringMatching(/^[a-zé ;,\t|:"\r\n]{0,6}$/);
const file = fc.record({
  delimiter: fc.constantFrom(',', ';', '\t', '|', ':'),
  eol: fc.constantFrom('unix', 'windows', 'mac') as fc.Arbitrary<'unix' | 'windows' | 'mac'>,
  rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 20 }),
  cuts: fc.array(fc.nat(), { maxLength: 6 }),
});

function readInChunks(text: string, delimiter: string, cuts: number[]): CsvItem[] {
  const reader = new CsvReader({ delimiter, maxRecordSize: 100_000 });
  const at = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const items: CsvItem[] = [];
  let from = 0;
  for (const to of [...at, text.length]) {
    items.push(...reader.push(text.slice(from, to)));
    from = to;
  }
  return [...items, ...reader.end()];
}

test('on well-formed files the tokenizer reads what csv-parse reads, record for record and line for line', () => {
  fc.assert(
    fc.property(file, ({ delimiter, eol, rows, cuts }) => {
      // Every field quoted where it needs it (csv-stringify), line ends of one kind.
      const text = stringify(rows, { delimiter, record_delimiter: eol, quoted_match: /[\r\n]|^\s|\s$/ });
      const expected = parse(text, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true }) as unknown as Array<{
        record: string[];
        info: { lines: number };
      }>;
      const ours = readInChunks(text, delimiter, cuts);
      expect(ours.filter((item) => item.kind === 'problem')).toEqual([]);
      const records = ours.flatMap((item) => (item.kind === 'record' ? [item] : []));
      expect(records.map((record) => record.fields)).toEqual(expected.map(({ record }) => record));
      if (!rows.flat().some((value) => /[\r\n]/.test(value))) {
        expect(records.map((record) => record.line)).toEqual(expected.map(({ info }) => info.lines));
      }
    }),
    { numRuns: 500 },
  );
});
