import { createHash } from 'node:crypto';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { Learner } from '../../src/model/learner.entity';
import { TestKit, type ImportResult } from '../../src/testing';

/**
 * Property tests through the real pipeline: valid files mutated (cut, bytes inserted,
 * separators swapped, quotes added, line breaks, other encodings) and random bytes. Never a
 * crash or a hang, the job always ends, the counters add up, and every row the mutation did
 * not touch is imported.
 */

let kit: TestKit;
beforeAll(async () => {
  kit = await TestKit.create();
});
afterAll(() => kit?.close());
beforeEach(() => kit.manager.clear(Learner));

const ROWS = 12;
/** Logins no mutation of another row can produce by accident. */
const login = (i: number) => `u${i}-${createHash('sha1').update(String(i)).digest('hex').slice(0, 8)}`;
const header = 'user_loginid;firstname;lastname;email;available';
const lines = Array.from({ length: ROWS }, (_, i) => `${login(i)};Prénom${i};Nom ${i};p${i}@example.com;${i % 2 ? 'Y' : 'N'}`);

function assertJobEnded(result: ImportResult): void {
  if (!result.job) {
    expect(result.refused?.code).toBe('BAD_USER_INPUT');
    return;
  }
  const job = result.job;
  expect(job.status).toBe('SUCCEEDED');
  expect(job.failure).toBeNull();
  expect(job.processed).toBe(job.added + job.updated + job.unchanged + job.rejected);
  expect(job.errors).toBeGreaterThanOrEqual(job.rejected > 0 ? 1 : 0);
}

async function storedLogins(): Promise<Set<string>> {
  return new Set((await kit.manager.find(Learner)).map((learner) => learner.loginId));
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), from: fc.nat(60), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(60), text: fc.string({ unit: fc.constantFrom('"', ';', ',', '\t', '\r', '\n', '\\', "'", '=', 'é', '\u0000', 'x', ' '), minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(60), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('separators' as const), to: fc.constantFrom(',', '\t', ':', '|') }),
  fc.record({ kind: fc.constant('quote' as const), at: fc.nat(60) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(line: string, m: Mutation): Buffer {
  const at = (n: number) => Math.min(n, line.length);
  switch (m.kind) {
    case 'cut':
      return Buffer.from(line.slice(0, at(m.from)) + line.slice(at(m.from + m.length)));
    case 'insert':
      return Buffer.from(line.slice(0, at(m.at)) + m.text + line.slice(at(m.at)));
    case 'bytes':
      return Buffer.concat([Buffer.from(line.slice(0, at(m.at))), Buffer.from(m.bytes), Buffer.from(line.slice(at(m.at)))]);
    case 'separators':
      return Buffer.from(line.replaceAll(';', m.to));
    case 'quote':
      return Buffer.from(`${line.slice(0, at(m.at))}"${line.slice(at(m.at))}`);
  }
}

test('a broken record never costs its neighbours, and the job always ends with counters that add up', async () => {
  await fc.assert(
    fc.asyncProperty(fc.nat(ROWS - 1), mutation, fc.constantFrom('\n', '\r\n', '\r'), async (broken, m, eol) => {
      await kit.manager.clear(Learner);
      const body = lines.map((line, i) => (i === broken ? mutate(line, m) : Buffer.from(line)));
      const file = Buffer.concat([Buffer.from(header + eol), ...body.flatMap((line) => [line, Buffer.from(eol)])]);
      const result = await kit.import('learners', file, { hasHeader: true });
      assertJobEnded(result);
      const stored = await storedLogins();
      const lost = lines.map((_, i) => login(i)).filter((name, i) => i !== broken && !stored.has(name));
      expect(lost).toEqual([]);
    }),
    { numRuns: 60 },
  );
});

test('the same file in any supported encoding imports the same rows', async () => {
  const text = `${header}\r\n${lines.join('\r\n')}\r\n`;
  const encodings: Array<[string, Buffer]> = [
    ['utf-8', Buffer.from(text)],
    ['utf-8', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['windows-1252', iconv.encode(text, 'windows-1252')],
    ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])],
    ['utf-16be', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])],
  ];
  let reference: string[][] | null = null;
  for (const [encoding, bytes] of encodings) {
    await kit.manager.clear(Learner);
    const result = await kit.import('learners', bytes);
    expect([result.file.encoding, result.job?.added]).toEqual([encoding, ROWS]);
    const rows = (await kit.manager.find(Learner, { order: { loginId: 'ASC' } })).map((l) => [l.loginId, l.firstName!, l.lastName!]);
    reference ??= rows;
    expect(rows).toEqual(reference);
  }
  expect(reference).toContainEqual([login(3), 'Prénom3', 'Nom 3']);
});

test('random bytes: never a crash, a hang or a failed job; refused, or imported with counters that add up', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 400 }),
        fc.string({ maxLength: 300 }).map((s) => Buffer.from(s)),
        fc.array(fc.constantFrom('a', ';', '"', '\n', '\r', ' ', 'é', 'user_loginid'), { maxLength: 120 }).map((parts) => Buffer.from(parts.join(''))),
      ),
      fc.option(fc.boolean(), { nil: undefined }),
      async (bytes, hasHeader) => {
        const result = await kit.import('learners', Buffer.from(bytes), { hasHeader });
        assertJobEnded(result);
      },
    ),
    { numRuns: 60 },
  );
});
