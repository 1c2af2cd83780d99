import fs from 'node:fs';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { OnExisting } from '../../src/imports/enums';
import { jobFinished } from '../../src/jobs/watch-job';
import { LessonStatistic } from '../../src/model/lesson-statistic.entity';
import { TestKit, type ImportResult } from '../../src/testing';
import { seedReferenceData } from '../../src/testing/fixtures';

/**
 * A file read in a worker thread (PARSE_WORKER=always) imports exactly as one read on the job's
 * thread (never): same counters, issues, rejects file and rows, for a file with every kind of
 * problem, in a real run and a dry run; and a thread that cannot read the file fails the job as
 * the job's thread would.
 */

const LEARNERS = Array.from({ length: 40 }, (_, i) => `w${i}`);
const ITEMS = { i1: 'L', i2: 'A', i3: 'T' } as const;
const STATUS_WORDS = ['passed', 'Terminé', 'échoué', 'browsed', 'not attempted', 'Failed'];

/** 700 rows in Windows-1252 with CRLF, columns in their own order, an unknown column, and bad rows of every kind. */
function messyFile(): Buffer {
  const lines = ['lesson_score;crsvname;user_loginid;lsnvname;lnk_type;lesson_status;Lesson_Status_Date;lesson_time;ilt_status;remarque'];
  for (let i = 0; i < 700; i++) {
    const learner = i % 53 === 7 ? 'nobody' : LEARNERS[i % LEARNERS.length];
    const item = Object.keys(ITEMS)[i % 3];
    const type = i % 61 === 3 ? 'W' : Object.values(ITEMS)[i % 3];
    const score = i % 47 === 5 ? '120' : i % 4 === 0 ? '' : `${i % 100},5`;
    const date = i % 43 === 2 ? '31/02/2020' : i % 5 === 0 ? '' : `${(i % 28) + 1}/03/2020`;
    const ilt = item === 'i3' && i % 2 === 0 ? 'P' : i % 59 === 1 ? 'P' : '';
    const status = i % 7 === 4 ? STATUS_WORDS[i % STATUS_WORDS.length] : 'CPFIN'[i % 5]; // a status word: a warning
    let line = `${score};K1;${learner};${item};${type};${status};${date};${i % 3 === 0 ? `00:${String(i % 60).padStart(2, '0')}:10` : i % 3600};${ilt};é ${i}`;
    if (i % 97 === 11) line += ';trop;de;champs';
    if (i % 101 === 13) line = line.replace(';K1;', ';"K1"x;'); // text after a closing quote
    if (i % 89 === 17) line = line.replace('K1', 'K\u0001'); // a control character
    if (i % 83 === 19) line = line.split(';').slice(0, 5).join(';'); // too few fields
    lines.push(line);
  }
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'windows-1252');
}

async function kitWith(parseWorker: 'always' | 'never'): Promise<TestKit> {
  const kit = await TestKit.create({ env: { PARSE_WORKER: parseWorker, PARSE_WORKER_MIN_BYTES: '0', BATCH_SIZE: '50' } });
  await seedReferenceData(kit, { learners: LEARNERS, courses: { K1: ITEMS } });
  return kit;
}

async function outcome(kit: TestKit, result: ImportResult) {
  const rows = await kit.manager.find(LessonStatistic, { order: { learnerId: 'ASC', itemId: 'ASC', session: 'ASC' } });
  const { processed, rejected, added, updated, unchanged, errors, warnings, status, failure } = result.job!;
  return {
    job: { processed, rejected, added, updated, unchanged, errors, warnings, status, failure },
    issues: result.issues.map(({ line, column, code, message }) => ({ line, column, code, message })),
    rejects: result.rejectsCsv,
    rows: rows.map(({ learnerId, itemId, session, status: s, statusDate, score, timeSpent, iltStatus }) => [learnerId, itemId, session, s, statusDate, score, timeSpent, iltStatus]),
  };
}

const kits: TestKit[] = [];
afterAll(async () => {
  for (const kit of kits) await kit.close();
});

test('a file read in a worker thread imports as one read on the job thread, dry run and real run', async () => {
  const [worker, inline] = await Promise.all([kitWith('always'), kitWith('never')]);
  kits.push(worker, inline);
  const file = messyFile();
  for (const run of [{ dryRun: true, enrollIfNeeded: true }, { enrollIfNeeded: true }, { onExisting: OnExisting.REJECT }]) {
    const [a, b] = [await worker.import('lesson-stats', file, run), await inline.import('lesson-stats', file, run)];
    const [got, expected] = [await outcome(worker, a), await outcome(inline, b)];
    expect(got).toEqual(expected);
    expect(expected.job.status).toBe('SUCCEEDED');
    expect(expected.job.rejected).toBeGreaterThan(40);
    expect(expected.job.processed).toBe(700);
    expect(expected.issues.filter((issue) => issue.code === 'STATUS_WORD_MAPPED').length).toBeGreaterThan(50);
  }
});

test('a file the thread cannot read fails the job as on the job thread', async () => {
  const failures: Array<string | null> = [];
  for (const mode of ['always', 'never'] as const) {
    const kit = await kitWith(mode);
    kits.push(kit);
    const { imports, bus, files } = kit.services;
    const file = await imports.upload({ stream: Readable.from([messyFile()]), fileName: 'lost.csv', adapter: 'lesson-stats', hasHeader: null, tokenId: null });
    fs.rmSync(files.uploadPath(file.storedName)); // gone before the job reads it
    const queued = await imports.run({ fileId: file.id, options: {} }, null);
    const job = await jobFinished(bus, (id) => imports.job(id), queued.id);
    expect(job.status).toBe('FAILED');
    failures.push(job.failure?.replace(/'[^']*'/, 'PATH') ?? null);
  }
  expect(failures[0]).toMatch(/ENOENT/);
  expect(failures[0]).toBe(failures[1]);
});
