import fc from 'fast-check';
import { CsvReader, readAll, type CsvItem } from '../../src/pipeline/csv-reader';

const read = (text: string, options: Partial<{ delimiter: string; escape: string; maxRecordSize: number }> = {}) =>
  readAll(text, { delimiter: ',', maxRecordSize: 1000, ...options });
const records = (items: CsvItem[]) => items.map((item) => (item.kind === 'record' ? [item.line, ...item.fields] : [item.line, item.code]));

test('records start at their line, whatever the line ends (LF, CRLF, CR), blank lines skipped', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const text = ['a,b', '1,2', '', '"x', 'y",3', '4,5'].join(eol) + eol;
    expect(records(read(text))).toEqual([
      [1, 'a', 'b'],
      [2, '1', '2'],
      [4, `x${eol}y`, '3'],
      [6, '4', '5'],
    ]);
  }
});

test('quoted fields hold separators, doubled quotes and line breaks; quotes inside unquoted fields are kept', () => {
  expect(records(read('"a,b","say ""hi""",5" screen\n'))).toEqual([[1, 'a,b', 'say "hi"', '5" screen']]);
});

test('records of empty fields only (Excel\'s ";;;" rows) are skipped; trailing separators give empty fields', () => {
  expect(records(read(';;;\n1;2;\n', { delimiter: ';' }))).toEqual([[2, '1', '2', '']]);
});

test('Blackboard: \\" escapes a quote; text after a closing quote is one MALFORMED_RECORD, the next records go on', () => {
  const items = read('"A\\"B",2\n"ENG_201","jbell"jbell"\n"ENG_202","x"\n', { escape: '\\' });
  expect(items[1]).toEqual({
    kind: 'problem',
    line: 2,
    code: 'MALFORMED_RECORD',
    detail: 'text after a closing quote at line 2, column 18',
    params: { atLine: 2, atColumn: 18 },
    raw: '"ENG_201","jbell"jbell"',
  });
  expect(records(items)).toEqual([[1, 'A"B', '2'], [2, 'MALFORMED_RECORD'], [3, 'ENG_202', 'x']]);
});

test('an unclosed quote is reported at its line and the lines after it are read again', () => {
  expect(records(read('a,b\n"open,1\n2,3\n4,5\n'))).toEqual([[1, 'a', 'b'], [2, 'UNCLOSED_QUOTE'], [3, '2', '3'], [4, '4', '5']]);
});

test('an over-long record is one RECORD_TOO_LONG issue; its neighbours import', () => {
  const long = `${'x'.repeat(50)},1`;
  expect(records(read(`a,b\n${long}\n3,4\n`, { maxRecordSize: 40 }))).toEqual([[1, 'a', 'b'], [2, 'RECORD_TOO_LONG'], [3, '3', '4']]);
  // A quote opened and never closed within the limit: same, and what follows is read again.
  const lines = Array.from({ length: 20 }, (_, i) => `${i},${i}`).join('\n');
  const items = records(read(`"open,1\n${lines}\n`, { maxRecordSize: 40 }));
  expect(items[0]).toEqual([1, 'RECORD_TOO_LONG']);
  expect(items.slice(1)).toEqual(Array.from({ length: 20 }, (_, i) => [i + 2, String(i), String(i)]));
});

test('a line longer than the limit spread over many chunks is dropped without holding it in memory', () => {
  const reader = new CsvReader({ delimiter: ',', maxRecordSize: 100 });
  const out = [...reader.push('a,b\n')];
  for (let i = 0; i < 100; i++) out.push(...reader.push('y'.repeat(1000)));
  out.push(...reader.push('\n1,2\n'), ...reader.end());
  expect(records(out)).toEqual([[1, 'a', 'b'], [2, 'RECORD_TOO_LONG'], [3, '1', '2']]);
  expect((reader as unknown as { buffer: string }).buffer.length).toBeLessThan(10);
});

test('reading is the same however the text is cut into chunks', () => {
  const text = 'a,b\r\n"x\r\ny",3\r\n"ENG","j"j"\r\n4,5\r6,7\n"open,1\n8,9\n';
  const whole = read(text);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: text.length }), { maxLength: 10 }), (cuts) => {
      const reader = new CsvReader({ delimiter: ',', maxRecordSize: 1000 });
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const out: CsvItem[] = [];
      let from = 0;
      for (const point of [...points, text.length]) {
        out.push(...reader.push(text.slice(from, point)));
        from = point;
      }
      out.push(...reader.end());
      expect(out).toEqual(whole);
    }),
  );
});

test('any text: no crash, and records come in line order', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '\\'), maxLength: 300 }), (text) => {
      const items = read(text, { maxRecordSize: 50 });
      const lines = items.map((item) => item.line);
      expect([...lines].sort((a, b) => a - b)).toEqual(lines);
    }),
    { numRuns: 2000 },
  );
});

test('spaces before an opening quote are not part of the field (Blackboard writes `"a", "b"`)', () => {
  expect(records(read('"x", "y",  "z"\n', {}))).toEqual([[1, 'x', 'y', 'z']]);
  expect(records(read('a, b\n'))).toEqual([[1, 'a', ' b']]);
});
