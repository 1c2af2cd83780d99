import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { CsvItem } from '../../src/pipeline/csv-reader';
import { readItems } from '../../src/pipeline/read-items';
import { openRecordSource } from '../../src/pipeline/record-source';
import { Workbook, XLSX_LIMITS } from '../../src/pipeline/xlsx';
import { numberText } from '../../src/pipeline/xlsx-cells';
import { TestKit } from '../../src/testing';
import { csvRows, workbook } from '../helpers/workbooks';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-import-xlsx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let written = 0;
async function records(bytes: Buffer, sheet?: string | number): Promise<CsvItem[]> {
  const file = path.join(dir, `${written++}.xlsx`);
  fs.writeFileSync(file, bytes);
  const items: CsvItem[] = [];
  for await (const chunk of readItems(file, 'xlsx', { delimiter: ';', maxRecordSize: 1_000_000, sheet })) items.push(...chunk);
  return items;
}
const fieldsOf = (items: CsvItem[]) => items.map((item) => (item.kind === 'record' ? item.fields : item.code));

describe('a sheet read as records of text', () => {
  test.each([
    [false, '2024-02-29'],
    [true, '2028-03-01'],
  ])('date cells by their format, in the workbook date system (1904: %s)', async (date1904, fromSerial) => {
    const bytes = await workbook(
      {
        Dates: [
          ['day', 'moment', 'duration', 'serial'],
          [
            { value: new Date(Date.UTC(2024, 1, 29)), numFmt: 'dd/mm/yyyy' },
            { value: new Date(Date.UTC(2024, 1, 29, 8, 30, 15)), numFmt: 'yyyy-mm-dd hh:mm:ss' },
            { value: 1.5 / 24, numFmt: '[h]:mm:ss' },
            // The same serial is another day in the 1904 system.
            { value: 45351, numFmt: 'd mmm yyyy' },
          ],
        ],
      },
      { date1904 },
    );
    expect(fieldsOf(await records(bytes))).toEqual([
      ['day', 'moment', 'duration', 'serial'],
      ['2024-02-29', '2024-02-29 08:30:15', '1:30:00', fromSerial],
    ]);
  });

  test('numbers as written, formulas by their cached value, text of every kind', async () => {
    const bytes = await workbook({
      Cells: [
        ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
        [87.5, 42, 0.1 + 0.2, { formula: 'A2*2', result: 175 }, { formula: '"x"&"y"', result: 'xy' }, true, { richText: [{ text: 'Jo' }, { text: 'hn' }] }, { text: 'site', hyperlink: 'https://example.com' }],
        [-3, 1e-7, 12345678901234, { formula: 'NOW()' }, 'Zoë; "quoted"', false, ' padded ', ''],
      ],
    });
    expect(fieldsOf(await records(bytes)).slice(1)).toEqual([
      ['87.5', '42', '0.3', '175', 'xy', 'TRUE', 'John', 'site'],
      ['-3', '0.0000001', '12345678901234', '', 'Zoë; "quoted"', 'FALSE', ' padded ', ''],
    ]);
    expect(numberText(87.49999999999999)).toBe('87.5');
  });

  test('an error cell rejects its record with the cell named; the record is kept for the rejects file', async () => {
    const items = await records(await workbook({ S: [['a', 'b'], ['x', { error: '#N/A' }], ['y', 2]] }));
    expect(items[1]).toEqual({
      kind: 'problem',
      line: 2,
      code: 'XLSX_CELL_ERROR',
      detail: 'cell B2 holds the error #N/A',
      params: { cell: 'B2', error: '#N/A' },
      raw: 'x;#N/A\r\n',
    });
    expect(items[2]).toEqual({ kind: 'record', line: 3, fields: ['y', '2'] });
  });

  test('merged, empty and trailing cells: records as wide as the first, empty rows left out, lines are row numbers', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('S');
    sheet.getRow(2).values = ['a', 'b', 'c'];
    sheet.getRow(3).values = ['only'];
    sheet.getCell('A5').value = 'merged';
    sheet.mergeCells('A5:C5');
    sheet.getRow(6).values = ['x', 'y', 'z', '', ''];
    sheet.getRow(7).values = ['x', '', '', '', 'far'];
    sheet.getCell('B8').value = '';
    const items = await records(Buffer.from(await book.xlsx.writeBuffer()));
    expect(items.map((item) => item.line)).toEqual([2, 3, 5, 6, 7]);
    expect(fieldsOf(items)).toEqual([
      ['a', 'b', 'c'],
      ['only', '', ''],
      ['merged', '', ''],
      ['x', 'y', 'z'],
      ['x', '', '', '', 'far'],
    ]);
  });

  test('the first sheet with records, or options.sheet by name or position', async () => {
    const bytes = await workbook({ Empty: [], Second: [['n'], ['2']], Third: [['n'], ['3']] });
    expect(fieldsOf(await records(bytes))).toEqual([['n'], ['2']]);
    expect(fieldsOf(await records(bytes, 'Third'))).toEqual([['n'], ['3']]);
    expect(fieldsOf(await records(bytes, 3))).toEqual([['n'], ['3']]);
    expect(fieldsOf(await records(bytes, 'third'))).toEqual([['n'], ['3']]);
  });
});

describe('an XLSX import', () => {
  let kit: TestKit;
  let csvKit: TestKit;
  beforeAll(async () => {
    [kit, csvKit] = await Promise.all([TestKit.create(), TestKit.create()]);
  });
  afterAll(() => Promise.all([kit?.close(), csvKit?.close()]));

  const learners = [
    'user_loginid;firstname;lastname;email;available',
    'jdoe;John;Doe;john@example.com;Y',
    '12345;Num;Ber;num@example.com;N',
    ';Nobody;Here;nobody@example.com;Y',
    'bad;Bad;Mail;not-an-email;Y',
    'maybe;May;Be;maybe@example.com;perhaps',
    'zoe;Zoë;Ünal;zoe@example.com;Y',
  ].join('\r\n');

  test('gives the counters, issues, log and rejects of the same data as CSV; its rejects (CSV, BOM, ;) import again', async () => {
    const [asCsv, asXlsx] = await Promise.all([csvKit.import('learners', `${learners}\r\n`), kit.import('learners', await workbook({ Learners: csvRows(learners) }))]);
    expect(asXlsx.file).toMatchObject({ encoding: 'xlsx', delimiter: ';', hasHeader: true, sheets: ['Learners'], problems: [] });
    expect(asXlsx.file.columns).toEqual(asCsv.file.columns);
    expect(asXlsx.file.preview).toEqual(asCsv.file.preview);
    const counters = (job: typeof asCsv.job) => ({ processed: job!.processed, added: job!.added, rejected: job!.rejected, errors: job!.errors, warnings: job!.warnings });
    expect(counters(asXlsx.job)).toEqual(counters(asCsv.job));
    expect(asXlsx.job).toMatchObject({ status: 'SUCCEEDED', added: 3, rejected: 3 });
    const issue = ({ line, column, code, message }: (typeof asCsv.issues)[number]) => ({ line, column, code, message });
    expect(asXlsx.issues.map(issue)).toEqual(asCsv.issues.map(issue));
    expect(asXlsx.rejectsCsv).toBe(asCsv.rejectsCsv);
    expect(asXlsx.logText.replace(/job \d+|\d{4}-\d\d-\d\dT[\d:.]+Z|learners\.csv/g, '')).toBe(asCsv.logText.replace(/job \d+|\d{4}-\d\d-\d\dT[\d:.]+Z|learners\.csv/g, ''));

    const bytes = fs.readFileSync(kit.services.reports.rejectsPath(asXlsx.job!)!);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const fixed = bytes.toString('utf8').replace(';Nobody', 'nobody;Nobody').replace('not-an-email', 'bad@example.com').replace('perhaps', 'N');
    const again = await kit.import('learners', fixed);
    expect(again.file).toMatchObject({ encoding: 'utf-8', delimiter: ';' });
    expect(again.job).toMatchObject({ added: 3, rejected: 0, errors: 0 });
  });

  test('options.sheet chooses the sheet (its own header checked); an unknown one, or one for a CSV file, is refused', async () => {
    const other = [['user_loginid', 'firstname', 'lastname', 'email', 'available'], ['other', 'O', 'Ther', 'other@example.com', 'Y']];
    const bytes = await workbook({ Notes: [['these are notes']], Learners: other });
    const first = await kit.import('learners', bytes, { options: { sheet: 'Learners' } });
    expect(first.file.sheets).toEqual(['Notes', 'Learners']);
    expect(first.job).toMatchObject({ status: 'SUCCEEDED', added: 1 });
    expect((await kit.import('learners', bytes, { options: { sheet: 2 } })).job).toMatchObject({ status: 'SUCCEEDED', unchanged: 1 });
    const unknown = await kit.import('learners', bytes, { options: { sheet: 'Nope' } });
    expect(unknown.refused).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringContaining('The workbook has no sheet Nope (its sheets: Notes, Learners)') });
    expect((await kit.import('learners', bytes, { options: { sheet: 0 } })).refused?.message).toMatch(/options\.sheet/);
    expect((await kit.import('learners', `${learners}\r\n`, { options: { sheet: 1 } })).refused?.message).toMatch(/this file is a CSV file/);
  });

  test('a sheet with error cells: each such record rejected with the cell named, the others imported', async () => {
    const result = await kit.import('learners', await workbook({ S: [...csvRows(learners).slice(0, 2), ['err', { error: '#REF!' }, 'X', 'err@example.com', 'Y']] }));
    expect(result.job).toMatchObject({ added: 0, unchanged: 1, rejected: 1 });
    expect(result.issues).toEqual([expect.objectContaining({ line: 3, code: 'XLSX_CELL_ERROR', message: 'Cell B3 holds the spreadsheet error #REF! (a formula that failed): fix it in the workbook' })]);
    expect(result.rejectsCsv).toBe('user_loginid;firstname;lastname;email;available\r\nerr;#REF!;X;err@example.com;Y\r\n');
  });

  const valid = () => workbook({ Learners: csvRows(learners) });
  test('shared strings larger than what is held in memory: refused before they are read', async () => {
    const file = path.join(dir, 'strings.xlsx');
    fs.writeFileSync(file, await valid());
    await expect(Workbook.open(file, { ...XLSX_LIMITS, maxSharedStringsBytes: 100 })).rejects.toMatchObject({ code: 'XLSX_STRINGS_TOO_LARGE', params: { max: String(100 / 1024 ** 2) } });
    const book = await Workbook.open(file);
    expect(book.sheets).toEqual([{ name: 'Learners', path: 'xl/worksheets/sheet1.xml' }]);
    book.close();
  });

  test.each([
    ['a truncated zip', async () => (await valid()).subarray(0, 2000), 'XLSX_UNREADABLE', /not a readable Excel workbook/],
    ['random bytes', async () => randomBytes(4096), 'NOT_TEXT', /not a text/],
    ['an .xls workbook', async () => Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(4096)]), 'XLS_FORMAT', /save it as \.xlsx \(Excel workbook\) or CSV/],
    [
      'an encrypted workbook',
      async () => Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(1000), Buffer.from('EncryptionInfo\0EncryptedPackage', 'utf16le'), Buffer.alloc(1000)]),
      'XLSX_ENCRYPTED',
      /protected by a password/,
    ],
    [
      'a zip bomb',
      async () => {
        const zip = new JSZip();
        zip.file('xl/workbook.xml', '<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>');
        zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(64 * 1024 * 1024, 0x20));
        return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      },
      'XLSX_TOO_LARGE',
      /possible zip bomb/,
    ],
    [
      'a zip bomb that understates its sizes',
      async () => {
        const zip = new JSZip();
        zip.file('xl/workbook.xml', '<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>');
        zip.file('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>');
        zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(8 * 1024 * 1024, 0x20));
        const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
        // The sheet's inflated size, in its local header and in the central directory, said to be 1,000 bytes.
        for (const [signature, at] of [[0x04034b50, 22], [0x02014b50, 24]]) {
          for (let i = bytes.indexOf(Buffer.from(new Uint32Array([signature]).buffer)); i >= 0; i = bytes.indexOf(Buffer.from(new Uint32Array([signature]).buffer), i + 4)) {
            if (bytes.readUInt32LE(i + at) === 8 * 1024 * 1024) bytes.writeUInt32LE(1000, i + at);
          }
        }
        return bytes;
      },
      'XLSX_UNREADABLE',
      /too many bytes/,
    ],
    ['a workbook whose sheets are all empty', () => workbook({ Empty: [], Blank: [[null, '']] }), 'EMPTY_FILE', /no records/],
    [
      'a zip that is no workbook',
      async () => new JSZip().file('word/document.xml', '<w:document/>').generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }),
      'XLSX_UNREADABLE',
      /no xl\/workbook\.xml/,
    ],
  ])('%s: one file-level problem, the import refused', async (_, bytes, code, message) => {
    const result = await kit.import('learners', await bytes());
    expect(result.job).toBeNull();
    expect(result.file.problems).toEqual([expect.objectContaining({ code, severity: 'ERROR', line: null, message: expect.stringMatching(message) })]);
  });
});

describe('a large sheet', () => {
  const ROWS = 1000;
  let file: string;
  beforeAll(async () => {
    file = path.join(dir, 'large.xlsx');
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
    const sheet = book.addWorksheet('Learners');
    sheet.addRow(['user_loginid', 'firstname', 'lastname', 'email', 'available']).commit();
    for (let i = 0; i < ROWS; i++) sheet.addRow([`big${i}`, `First${i}`, `Last${i}`, i % 100 === 7 ? 'not-an-email' : `big${i}@example.com`, 'Y']).commit();
    sheet.commit();
    await book.commit();
  });

  test.each([false, true])('is read from the checkpoint on (resume), in a worker thread or not (worker: %s)', async (worker) => {
    const kit = await TestKit.create();
    try {
      const adapter = kit.services.registry.get('learners')!;
      const plan = { file, encoding: 'xlsx' as const, delimiter: ';', maxRecordSize: 1_000_000, hasHeader: true, skip: 400, batchSize: 128 };
      const source = openRecordSource(plan, adapter, { worker, signal: new AbortController().signal, turn: () => null });
      const lines: number[] = [];
      let rejected = 0;
      for await (const event of source) {
        if (event.kind !== 'batch') continue;
        for (const record of event.records) {
          lines.push(record.line);
          if (record.issues.length > 0) rejected++;
        }
      }
      await source.close();
      expect(lines).toHaveLength(ROWS - 400);
      expect(lines[0]).toBe(402); // the header is row 1, the 400 records done are rows 2 to 401
      expect(lines.at(-1)).toBe(ROWS + 1);
      expect(rejected).toBe(6); // rows 8, 108, … of the records from 400 on
    } finally {
      await kit.close();
    }
  });

  test('imports through the reading thread with the counters of its rows', async () => {
    const kit = await TestKit.create({ env: { PARSE_WORKER: 'always', PARSE_WORKER_MIN_BYTES: '0', BATCH_SIZE: '100' } });
    try {
      const result = await kit.import('learners', fs.readFileSync(file));
      expect(result.job).toMatchObject({ status: 'SUCCEEDED', processed: ROWS, added: ROWS - 10, rejected: 10 });
      expect(result.issues.filter((issue) => issue.code === 'INVALID_EMAIL').map((issue) => issue.line)).toEqual(Array.from({ length: 10 }, (_, i) => i * 100 + 9));
    } finally {
      await kit.close();
    }
  });
});
