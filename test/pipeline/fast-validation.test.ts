import fs from 'node:fs';
import fc from 'fast-check';
import type { AnyAdapter } from '../../src/adapters/define-adapter';
import { isoDate, parseDate } from '../../src/adapters/fields';
import { AdapterRegistry } from '../../src/adapters/registry';
import { prepareRecord } from '../../src/pipeline/batch';
import { readAll } from '../../src/pipeline/csv-reader';
import { looksLikeHeader, mapHeader, positionalMapping, recordToCells, type ColumnMapping } from '../../src/pipeline/header';
import { detectDelimiter } from '../../src/pipeline/sniff';
import { validateRow, validateWithZod } from '../../src/pipeline/validate';

/**
 * validateRow runs a row schema made of `fields` columns without zod: its results must be
 * exactly zod's (validateWithZod), issue for issue (code, column, params and their order) and
 * value for value (same keys in the same order).
 */

const registry = AdapterRegistry.load();
const names = ['blackboard-enrollment', 'catalog', 'course-stats', 'learners', 'lesson-stats'];
const adapters = names.map((name) => {
  const adapter = registry.get(name);
  if (!adapter) throw new Error(`adapter ${name} is not loaded`);
  return adapter;
});
/** Plain z.object schemas of fields columns; the others (preprocess, superRefine) stay on zod. */
const withoutZod = new Set(['course-stats', 'learners', 'lesson-stats']);

type Cells = Record<string, string | null>;

function expectSameAsZod(adapter: AnyAdapter, cells: Cells): void {
  const fast = validateRow(adapter, cells);
  const zod = validateWithZod(adapter, cells);
  expect(fast).toStrictEqual(zod);
  // Key order too: data and params are stored and shown as they come.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod));
}

const long = (n: number, c = 'x') => c.repeat(n);
const interesting = [
  '', ' ', '0', '1', '-1', '+5', '-0', '007', '100', '101', '100,0', '100.0', '100.01', '99,999', '87,5', '87.5', ',5', '.5',
  '5.', '5,', '1,5,5', '1.5.5', '1e3', '0x10', 'NaN', 'Infinity', '-Infinity', '١٢', '12 ', ' 12', '1 000',
  '2147483647', '2147483648', '99999999999999999999', '0:00', '00:00', '59:59', '60:00', '1:00:00', '01:30:00', '25:61:00',
  '99:59:59', '596523:14:07', '596523:14:08', '1:2:3', '12:60', '12:5', ':30', '1::00', '00:00:00:00', '-1:00',
  '2013-03-25', '2013/03/29', '22/03/2013', '2/3/2013', '29/02/2024', '29/02/2023', '29/02/1900', '29/02/2000', '31/04/2020',
  '31/12/9999', '2020-02-30', '2020-13-01', '2020-00-10', '2020-01-00', '1899-12-31', '1900-01-01', '9999-12-31',
  '10000-01-01', '2013-03-25T10:20:30Z', '2013-03-25 10:20', '2013-03-25T10:20:30.123+02:00', '2013-03-25T10:20:30+0200',
  '2013-3-5', '2013.03.25', '25-03-2013', '03/25/2013', '2013-03-25T', 'L', 'A', 'W', 'T', 'E', 'C', 'P', 'F', 'I', 'N',
  'passed', 'PASSED', 'Completed', 'failed', 'incomplete', 'browsed', 'not attempted', 'Not_Attempted', 'Réussi', 'ECHOUE', 'En cours',
  'non commencé', 'Not started', 'Terminé', 'unknown', 'passed ', // SCORM/cmi5 status words and the codes' labels
  'Y', 'yes', 'no', 'true', 'course', 'COURSE', 'Organization', 'organisation', 'student', 'S', 'B', 'G', 'P ', 'LL',
  'a@b.c', 'a@b', '@b.c', 'a@@b.c', 'foo bar@x.y', 'jane.bell@example.com', '{1B38F003-16A9-4432-AB}', 'ENG_201',
  'ab_c.d-e', 'ab c', 'é', 'ß', 'ǅ', 'ﬀ', 'İ', 'ı', 'k', 'K', // toUpperCase edge cases
  long(99), long(100), long(101), long(254), long(255), long(256), long(101, 'é'), long(50, '😀'), long(51, '😀'),
  ';', ',', ':', '\t', '|', 'a,b', 'a;b', 'a:b', 'a|b', '\u0000', '\uFFFD', '"', "'", "'=1", '=1+1', '__proto__', 'constructor',
];

/** Values that look like what each column takes, and junk. */
function cellArbitrary(adapter: AnyAdapter, column: string): fc.Arbitrary<string | null> {
  const codes = adapter.columns.find((c) => c.name === column)?.codes?.map((entry) => String(entry.code)) ?? [];
  const digits = fc.integer({ min: 0, max: 99 }).map((n) => String(n));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 4, arbitrary: fc.mixedCase(fc.constantFrom(...interesting, ...codes)) },
    { weight: 2, arbitrary: fc.constantFrom(...interesting, ...(codes.length ? codes : ['x'])) },
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 95, maxLength: 260 }) },
    { weight: 1, arbitrary: fc.double({ noNaN: false }).map((n) => String(n)) },
    { weight: 1, arbitrary: fc.double({ min: -5, max: 205 }).map((n) => String(n).replace('.', ',')) },
    { weight: 1, arbitrary: fc.integer({ min: -10, max: 2 ** 32 }).map((n) => String(n)) },
    { weight: 1, arbitrary: fc.tuple(fc.option(digits), digits, digits).map(([h, m, s]) => (h === null ? `${m}:${s}` : `${h}:${m}:${s}`)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: 1890, max: 10010 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.nat(3))
        .map(([y, m, d, format]) => {
          const [mm, dd] = [String(m).padStart(format === 1 ? 1 : 2, '0'), String(d).padStart(2, '0')];
          return [`${y}-${mm}-${dd}`, `${dd}/${mm}/${y}`, `${y}/${mm}/${dd}`, `${y}-${mm}-${dd}T12:30:00Z`][format];
        }),
    },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.@-]{1,8}(@[a-z]{1,4}\.[a-z]{1,3})?$/) },
  );
}

function cellsArbitrary(adapter: AnyAdapter): fc.Arbitrary<Cells> {
  return fc.record(Object.fromEntries(adapter.columns.map((column) => [column.name, cellArbitrary(adapter, column.name)])));
}

describe.each(adapters.map((adapter) => [adapter.name, adapter] as const))('%s', (name, adapter) => {
  test(`${withoutZod.has(name) ? 'runs without zod' : 'stays on zod'}`, () => {
    const safeParse = jest.spyOn(adapter.rowSchema, 'safeParse');
    try {
      validateRow(adapter, Object.fromEntries(adapter.columns.map((column) => [column.name, null])));
      expect(safeParse).toHaveBeenCalledTimes(withoutZod.has(name) ? 0 : 1);
    } finally {
      safeParse.mockRestore();
    }
  });

  test('random cells: same results as zod', () => {
    fc.assert(
      fc.property(cellsArbitrary(adapter), (cells) => expectSameAsZod(adapter, cells)),
      { numRuns: 3000 },
    );
  });

  test('one column at a time over the interesting values: same results as zod', () => {
    const valid = validRows(adapter)[0];
    for (const column of adapter.columns) {
      for (const value of [null, ...interesting, ...interesting.map((v) => v.toLowerCase())]) {
        expectSameAsZod(adapter, { ...valid, [column.name]: value });
      }
    }
  });

  test('the example file, every column empty, every column junk: same results as zod', () => {
    const rows = validRows(adapter);
    expect(rows.length).toBeGreaterThan(0);
    for (const cells of rows) expectSameAsZod(adapter, cells);
    expectSameAsZod(adapter, Object.fromEntries(adapter.columns.map((column) => [column.name, null])));
    expectSameAsZod(adapter, Object.fromEntries(adapter.columns.map((column) => [column.name, '#?!'])));
    expectSameAsZod(adapter, Object.fromEntries(adapter.columns.map((column) => [column.name, long(300)])));
  });

  test('cells that no file gives (absent, undefined, not strings, extra keys): same results as zod', () => {
    const [valid] = validRows(adapter);
    const [first, last] = [adapter.columns[0].name, adapter.columns[adapter.columns.length - 1].name];
    const without = (column: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== column));
    const cases: unknown[] = [
      without(first),
      without(last),
      { ...valid, [last]: undefined },
      { ...valid, [first]: 42 },
      { ...valid, [last]: { toString: () => 'Y' } },
      { ...valid, extra: 'x', another: null },
      { extra: 'x', ...valid },
      Object.assign(Object.create({ [first]: valid[first] }), without(first)),
      {},
    ];
    for (const cells of cases) expectSameAsZod(adapter, cells as Cells);
  });
});

/** The adapter's example file, as prepareRecord maps its records. */
function validRows(adapter: AnyAdapter): Cells[] {
  const text = fs.readFileSync(adapter.exampleFile, 'utf8').replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(text, adapter.format?.delimiters, adapter.columns.length, adapter.format?.escape) ?? ',';
  const items = readAll(text, { delimiter, escape: adapter.format?.escape, maxRecordSize: 10_000 });
  const records = items.flatMap((item) => (item.kind === 'record' ? [item.fields] : []));
  let mapping: ColumnMapping = positionalMapping(adapter);
  if (looksLikeHeader(records[0], adapter)) mapping = mapHeader(records.shift()!, adapter).mapping;
  return records.map((fields) => recordToCells(fields, mapping));
}

describe('prepareRecord', () => {
  const lessonStats = registry.get('lesson-stats')!;
  const mapping = positionalMapping(lessonStats);
  const formulaGuard = /^'(?=[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20])/;
  const unreadable = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;
  const field = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.constantFrom("'", "''", "'=1", " '+1 ", "'-", "'@x", "'\t", "'a", "'\uFF1D", '\u0000', 'a\uFFFDb', ' \u007F ', '\u0008x'),
  );

  test('cells: trimmed, formula guard removed, empty as null', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 11 }), (fields) => {
        const expected = Object.fromEntries(
          mapping.names.map((name, i) => {
            const value = i < fields.length ? fields[i].trim().replace(formulaGuard, '') : '';
            return [name, value === '' ? null : value];
          }),
        );
        expect(JSON.stringify(recordToCells(fields, mapping))).toBe(JSON.stringify(expected));
      }),
      { numRuns: 2000 },
    );
  });

  test('unreadable characters: one INVALID_CHARACTERS issue per cell, in column order, and no validation', () => {
    fc.assert(
      fc.property(fc.array(field, { minLength: mapping.width, maxLength: mapping.width }), (fields) => {
        const cells = recordToCells(fields, mapping);
        const expected = Object.entries(cells)
          .filter(([, value]) => value !== null && unreadable.test(value))
          .map(([column, value]) => ({
            code: 'INVALID_CHARACTERS',
            column,
            params: { value: JSON.stringify(value).slice(1, -1).slice(0, 60) },
          }));
        const record = prepareRecord({ kind: 'record', line: 2, fields }, mapping, lessonStats, false);
        if (expected.length > 0) {
          expect(record.issues).toStrictEqual(expected);
          expect(record.data).toBeUndefined();
        } else {
          const validation = validateWithZod(lessonStats, cells);
          expect(record.issues).toStrictEqual(validation.ok ? (validation.warnings ?? []) : validation.issues);
          expect(record.data).toStrictEqual(validation.ok ? validation.data : undefined);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe.each(adapters.filter((adapter) => withoutZod.has(adapter.name)).map((adapter) => [adapter.name, adapter] as const))(
  'prepareRecord, %s: records read straight from their fields',
  (_name, adapter) => {
    const unreadable = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;
    /** The long way: cells, unreadable characters, then zod. */
    const expected = (fields: string[], mapping: ColumnMapping) => {
      const cells = recordToCells(fields, mapping);
      if (Object.values(cells).some((value) => value !== null && unreadable.test(value))) return 'unreadable';
      const validation = validateWithZod(adapter, cells);
      return validation.ok ? { issues: validation.warnings ?? [], data: validation.data } : { issues: validation.issues, data: undefined };
    };
    // Mostly the example file's values (so that most records take the short way), sometimes
    // anything; padded, guarded, in any column order, with a column no adapter knows.
    const names = adapter.columns.map((column) => column.name);
    const examples = validRows(adapter);
    const cell = new Map(
      names.map((name) => {
        const valid = [...new Set(examples.map((cells) => cells[name] ?? ''))];
        const value = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: cellArbitrary(adapter, name).map((v) => v ?? '') });
        return [name, fc.tuple(fc.constantFrom('', '', ' ', "'", '\t'), value, fc.constantFrom('', '', ' ')).map(([before, v, after]) => (v === '' ? after : before + v + after))];
      }),
    );
    cell.set('unknown column', fc.constantFrom('x', '', '\u0000'));
    const columns = fc.shuffledSubarray([...names, 'unknown column'], { minLength: names.length + 1 });
    const record = fc.tuple(columns, fc.boolean(), ...[...names, 'unknown column'].map((name) => cell.get(name)!)).map(([header, extra, ...values]) => {
      const byName = new Map([...names, 'unknown column'].map((name, i) => [name, values[i]]));
      const fields = header.map((name) => byName.get(name)!);
      return [header, extra ? [...fields, ' '] : fields] as const;
    });

    test('same data and issues as cells then zod', () => {
      let valid = 0;
      fc.assert(
        fc.property(record, ([header, all]) => {
          const { mapping } = mapHeader(header, adapter);
          const result = prepareRecord({ kind: 'record', line: 2, fields: all }, mapping, adapter, true);
          const long = expected(all, mapping);
          if (long === 'unreadable') {
            expect(result.issues.map((issue) => issue.code)).toContain('INVALID_CHARACTERS');
            return;
          }
          if (long.data !== undefined) valid++;
          expect(JSON.stringify({ issues: result.issues, data: result.data })).toBe(JSON.stringify(long));
        }),
        { numRuns: 3000, endOnFailure: true },
      );
      expect(valid).toBeGreaterThan(100); // the short way was taken
    });
  },
);

test('parseDate: the usual forms read without a pattern, as the patterns read them', () => {
  const byPattern = (value: string): string | null => {
    const ymd = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
    if (ymd) return isoDate(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
    const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    if (dmy) return isoDate(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
    return null;
  };
  const char = fc.constantFrom(...'0123456789/-: T+Za'.split(''), '٣', '\u0000');
  const tenChars = fc.array(char, { minLength: 10, maxLength: 10 }).map((chars) => chars.join(''));
  const dates = fc
    .tuple(fc.integer({ min: 0, max: 10100 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('-', '/'), fc.boolean())
    .map(([y, m, d, separator, dayFirst]) => {
      const [yyyy, mm, dd] = [String(y).padStart(4, '0'), String(m).padStart(2, '0'), String(d).padStart(2, '0')];
      return dayFirst ? [dd, mm, yyyy].join(separator) : [yyyy, mm, dd].join(separator);
    });
  fc.assert(
    fc.property(fc.oneof(dates, tenChars, fc.string({ maxLength: 12 })), (value) => expect(parseDate(value)).toBe(byPattern(value))),
    { numRuns: 20000, endOnFailure: true },
  );
  for (const value of ['2024-02-29', '2023-02-29', '29/02/2024', '31/04/2020', '1899-12-31', '0000-00-00', '2013-03/25', '25-03-2013']) {
    expect(parseDate(value)).toBe(byPattern(value));
  }
});

test('isoDate: the days of each month as Date.UTC counts them', () => {
  const reference = (year: number, month: number, day: number): string | null => {
    if (!(year >= 1900 && year <= 9999 && month >= 1 && month <= 12 && day >= 1)) return null;
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    return day > last ? null : `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  };
  const [actual, expected]: Array<string | null>[] = [[], []];
  for (let year = 1895; year <= 2105; year++) {
    for (let month = 0; month <= 13; month++) {
      for (let day = 0; day <= 32; day++) {
        actual.push(isoDate(year, month, day));
        expected.push(reference(year, month, day));
      }
    }
  }
  expect(actual).toEqual(expected);
  fc.assert(
    fc.property(
      fc.oneof(fc.integer({ min: 1800, max: 10100 }), fc.double()),
      fc.oneof(fc.integer({ min: -1, max: 14 }), fc.double({ min: -1, max: 14 }), fc.double()),
      fc.oneof(fc.integer({ min: -1, max: 33 }), fc.double()),
      (year, month, day) => expect(isoDate(year, month, day)).toBe(reference(year, month, day)),
    ),
    { numRuns: 5000 },
  );
});
