import iconv from 'iconv-lite';
import { AdapterRegistry } from '../../src/adapters/registry';
import { checkFile } from '../../src/pipeline/check-file';
import { Utf8Validator, detectEncoding } from '../../src/pipeline/encoding';
import { mapHeader, normalizeHeaderName } from '../../src/pipeline/header';
import { detectDelimiter } from '../../src/pipeline/sniff';

const learners = AdapterRegistry.load().get('learners')!;
const check = (bytes: Buffer, hasHeader: boolean | null = null) => {
  const validator = new Utf8Validator();
  validator.update(bytes);
  return checkFile(bytes, { adapter: learners, hasHeader, utf8: validator.end(), maxRecordSize: 1000 });
};
const text = 'user_loginid;firstname;lastname\nzoé;Zoé;Dupré\n';

test.each([
  ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8'],
  ['UTF-8', Buffer.from(text), 'utf-8'],
  ['UTF-16LE with BOM (Excel "Unicode text")', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]), 'utf-16le'],
  ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]), 'utf-16be'],
  ['UTF-16LE without BOM', iconv.encode(text, 'utf-16le'), 'utf-16le'],
  ['Windows-1252 (Excel "CSV (séparateur: point-virgule)")', iconv.encode(text, 'windows-1252'), 'windows-1252'],
])('%s is detected and decoded', (_name, bytes, encoding) => {
  const result = check(bytes);
  expect(result.encoding).toBe(encoding);
  expect(result.preview).toEqual([['zoé', 'Zoé', 'Dupré']]);
  expect(result.problems).toEqual([]);
});

test('UTF-8 is chosen only when every byte of the file is valid UTF-8', () => {
  expect(detectEncoding(Buffer.from('abc'), true)).toBe('utf-8');
  expect(detectEncoding(Buffer.from('abc'), false)).toBe('windows-1252');
});

test.each([
  ['a ZIP archive (xlsx)', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /ZIP/],
  ['a PNG image', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), /PNG/],
  ['binary bytes', Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 7) % 32)), /binary/],
])('%s is refused at check time', (_name, bytes, reason) => {
  const [problem] = check(bytes).problems;
  expect(problem).toMatchObject({ code: 'NOT_TEXT', severity: 'ERROR' });
  expect(problem.message).toMatch(reason);
});

test('the separator is the one that splits the lines consistently', () => {
  expect(detectDelimiter('a;b;c\n1;87,5;3\n4;5,25;6\n')).toBe(';');
  expect(detectDelimiter('a\tb\n1,5\t2\n')).toBe('\t');
  expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
  expect(detectDelimiter('a|b\n1|2\n')).toBe('|');
  expect(detectDelimiter('"ENG\\"201":"jbell"\n', [',', ':', '\t'], 5, '\\')).toBe(':');
  expect(detectDelimiter('justone\nvalue\n')).toBeNull();
});

test('header names match in any case, with or without *, quotes or spaces, and by alias', () => {
  expect(normalizeHeaderName(' "User_LoginID*" ')).toBe('user_loginid');
  const { mapping, problems } = mapHeader(['EMAIL', 'Login*', 'Prénom', 'shoe size'], learners);
  expect(mapping.positions).toEqual([1, 2, -1, 0, -1]);
  expect(problems).toEqual([expect.objectContaining({ code: 'UNKNOWN_COLUMN', severity: 'WARNING', params: { name: 'shoe size' } })]);
  expect(mapHeader(['firstname'], learners).problems).toEqual([
    expect.objectContaining({ code: 'MISSING_COLUMN', severity: 'ERROR', column: 'user_loginid' }),
  ]);
});

test('without a header the columns are positional; with one the header is detected', () => {
  expect(check(Buffer.from('demo;Demo\n'))).toMatchObject({ hasHeader: false, columns: ['user_loginid', 'firstname', 'lastname', 'email', 'available'] });
  expect(check(Buffer.from('login;prénom\ndemo;Demo\n'))).toMatchObject({ hasHeader: true, columns: ['login', 'prénom'], preview: [['demo', 'Demo']] });
  // Said to have none: a first record that names a column in every cell is still a header, skipped with a warning.
  expect(check(Buffer.from('login;prénom\ndemo;Demo\n'), false)).toMatchObject({
    hasHeader: false,
    preview: [['demo', 'Demo']],
    problems: [expect.objectContaining({ line: 1, severity: 'WARNING', code: 'HEADER_SKIPPED' })],
  });
  expect(check(Buffer.from('login;shoe size\ndemo;Demo\n'), false)).toMatchObject({ preview: [['login', 'shoe size'], ['demo', 'Demo']], problems: [] });
});

test('an empty file, and a file where no record can be read, are file-level problems', () => {
  expect(check(Buffer.from('\n\n')).problems).toEqual([expect.objectContaining({ code: 'EMPTY_FILE' })]);
  expect(check(Buffer.from('"a"b;"c\n')).problems).toEqual([expect.objectContaining({ code: 'UNREADABLE_FILE', line: 1 })]);
});
