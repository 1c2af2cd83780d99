import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdapterRegistry } from '../../src/adapters/registry';
import { OnExisting } from '../../src/imports/enums';
import type { ImportJob } from '../../src/imports/import-job.entity';
import { Learner } from '../../src/model/learner.entity';
import type { PendingRecord } from '../../src/pipeline/batch';
import { openRecordSource } from '../../src/pipeline/record-source';
import { TestKit } from '../../src/testing';
import { addCourses, enrollment, learners } from '../../plugins/blackboard-enrollment/test/helpers';

/**
 * SPEC §4.3: a header row in a file said to have none is recognised and skipped — for every
 * adapter, whenever every cell of the first record names one of its columns (name, label or
 * alias, any case, accents, quotes, `*`). It is a header, not a record: a HEADER_SKIPPED
 * warning on its line, not counted as processed; on the job's thread, in the parse worker, and
 * from a checkpoint alike.
 */

const kits: TestKit[] = [];
afterAll(async () => {
  for (const kit of kits) await kit.close();
});

async function kitWith(env: Record<string, string> = {}): Promise<TestKit> {
  const kit = await TestKit.create({ env });
  kits.push(kit);
  await addCourses(kit);
  const given = await kit.import('learners', learners[0].csv);
  expect(given.job).toMatchObject({ added: 3, errors: 0 });
  return kit;
}

const counts = (job: ImportJob | null) =>
  job && (({ status, processed, added, rejected, errors, warnings }) => ({ status, processed, added, rejected, errors, warnings }))(job);
const issues = (list: { line: number | null; severity: string; code: string }[]) => list.map((issue) => [issue.line, issue.severity, issue.code]);

let kit: TestKit;
beforeAll(async () => {
  kit = await kitWith();
});

describe.each([
  ['English', '"Course ID","Username","Role","System Availability","Course Availability"'],
  ['French (the seed\'s)', '"Code cours","Nom d\'utilisateur","Fonction au sein du cours","Disponibilité du système", "Disponibilité du cours"'],
  ['French, without accents, with typographic apostrophes and stars', '"CODE COURS*","Nom d’utilisateur*","fonction au sein du cours","Disponibilite du systeme","disponibilite du cours"'],
])('a Blackboard file with an %s header', (_name, header) => {
  const csv = `${header}\r\n"ENG_201","jbell","S","Y","Y"\r\n"ENG_202","demo","P","Y","N"\r\n`;

  test('said to have no header: the header is skipped with a warning, the records import', async () => {
    const result = await kit.import('blackboard-enrollment', csv, { hasHeader: false, onExisting: OnExisting.UPDATE });
    expect(result.file).toMatchObject({ hasHeader: false, preview: [['ENG_201', 'jbell', 'S', 'Y', 'Y'], ['ENG_202', 'demo', 'P', 'Y', 'N']] });
    expect(issues(result.file.problems)).toEqual([[1, 'WARNING', 'HEADER_SKIPPED']]);
    expect(counts(result.job)).toEqual({ status: 'SUCCEEDED', processed: 2, added: expect.any(Number), rejected: 0, errors: 0, warnings: 1 });
    expect(result.job!.processed).toBe(result.job!.added + result.job!.updated + result.job!.unchanged + result.job!.rejected);
    expect(issues(result.issues)).toEqual([[1, 'WARNING', 'HEADER_SKIPPED']]);
    expect(result.logText).toMatch(/^1\t\tWARNING\tHEADER_SKIPPED\tThe first record is a header/m);
    expect(await enrollment(kit, 'demo', 'ENG_202')).toMatchObject({ role: 'P', available: false });
  });

  test('detected: read as the header, nothing to warn about', async () => {
    const result = await kit.import('blackboard-enrollment', csv, { onExisting: OnExisting.UPDATE });
    expect(result.file).toMatchObject({ hasHeader: true, problems: [] });
    expect(counts(result.job)).toMatchObject({ status: 'SUCCEEDED', processed: 2, rejected: 0, errors: 0, warnings: 0 });
  });
});

test('a first record with one cell that names no column is a record, not a header', async () => {
  const result = await kit.import('blackboard-enrollment', '"Course ID","Username","Role","shoe size"\n"ENG_201","jbell"\n', { hasHeader: false });
  expect(result.file.problems).toEqual([]);
  expect(counts(result.job)).toMatchObject({ processed: 2, rejected: 1 });
});

/** Learners, with a header of labels and aliases in its own order: the columns are read in that order. */
const learnersCsv = 'Nom;"Login apprenant*";PRENOM;Courriel\nMartin;skip1;Alice;alice@example.com\nBell;skip2;Jane;\n';

test.each([
  ['on the job thread', { PARSE_WORKER: 'never' }],
  ['in the parse worker', { PARSE_WORKER: 'always', PARSE_WORKER_MIN_BYTES: '0' }],
])('any adapter: a learners header of labels and aliases is skipped and read in its order (%s)', async (_name, env) => {
  const own = await kitWith(env);
  const result = await own.import('learners', learnersCsv, { hasHeader: false });
  expect(issues(result.file.problems)).toEqual([[1, 'WARNING', 'HEADER_SKIPPED']]);
  expect(result.file.columns).toEqual(['Nom', 'Login apprenant*', 'PRENOM', 'Courriel']);
  expect(counts(result.job)).toEqual({ status: 'SUCCEEDED', processed: 2, added: 2, rejected: 0, errors: 0, warnings: 1 });
  expect(issues(result.issues)).toEqual([[1, 'WARNING', 'HEADER_SKIPPED']]);
  expect(await own.manager.findOneByOrFail(Learner, { loginId: 'skip1' })).toMatchObject({ firstName: 'Alice', lastName: 'Martin', email: 'alice@example.com' });
});

test.each([false, true])('from a checkpoint (worker: %s), the header is skipped again and not counted among the records done', async (worker) => {
  const adapter = AdapterRegistry.load().get('learners')!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'header-skipped-'));
  const file = path.join(dir, 'learners.csv');
  fs.writeFileSync(file, learnersCsv);
  try {
    const plan = { file, encoding: 'utf-8' as const, delimiter: ';', maxRecordSize: 1000, hasHeader: false, skip: 1, batchSize: 10 };
    const source = openRecordSource(plan, adapter, { worker, signal: new AbortController().signal, turn: () => null });
    const events: Array<{ kind: string; line?: number; codes?: string[]; lines?: number[] }> = [];
    for await (const event of source) {
      if (event.kind === 'header') events.push({ kind: 'header', line: event.line, codes: event.problems.map((p) => p.code) });
      else events.push({ kind: 'batch', lines: (event.records as PendingRecord[]).map((r) => r.line) });
    }
    await source.close();
    expect(events).toEqual([
      { kind: 'header', line: 1, codes: ['HEADER_SKIPPED'] },
      { kind: 'batch', lines: [3] },
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
