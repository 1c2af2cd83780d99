import fs from 'node:fs';
import path from 'node:path';
import { statusWords } from '../../src/model/codes';
import { build, type TestApp } from '../helpers/build';

/**
 * The statistics adapters over HTTP read the SCORM/cmi5 status words and the codes' English and
 * French labels as codes, each row with a STATUS_WORD_MAPPED warning (English and French).
 */

let app: TestApp;
beforeAll(async () => {
  app = await build();
  for (const adapter of ['learners', 'catalog', 'blackboard-enrollment']) {
    const job = await app.importFile(adapter, fs.readFileSync(path.join(__dirname, `../../plugins/${adapter}/example.csv`)));
    expect(job.status).toBe('SUCCEEDED');
  }
});
afterAll(() => app?.close());

const ISSUES = `query ($id: ID!) { importJob(id: $id) { issues(first: 100) { edges { node { line column severity code message } } } } }`;
const LABELS = { P: ['Passed', 'Réussi'], C: ['Completed', 'TERMINÉ'], F: ['failed', 'échoué'], I: ['Incomplete', 'en cours'], N: ['Not started', 'Non commence'] } as const;

async function importWords(adapter: string, row: (word: string) => string, words: Array<readonly [string, string]>) {
  const job = await app.importFile(adapter, words.map(([word]) => row(word)).join(''), {}, { hasHeader: false });
  const [en, fr] = await Promise.all(['en', 'fr'].map((lang) => app.gql(ISSUES, { id: job.id }, { lang })));
  return { job, en: en.data.importJob.issues.edges.map((e: any) => e.node), fr: fr.data.importJob.issues.edges.map((e: any) => e.node) };
}

test('lesson-stats: every SCORM/cmi5 word and every label, one warning a row', async () => {
  const words = [...statusWords.map(({ word, code }) => [word.toUpperCase(), code] as const), ...Object.entries(LABELS).flatMap(([code, labels]) => labels.map((label) => [label, code] as const))];
  const { job, en, fr } = await importWords('lesson-stats', (word) => `demo;Comics;{1B38F003-16A9-4432-AB};L;${word}\n`, words);
  expect(job.counts).toMatchObject({ processed: words.length, added: words.length, rejected: 0, warnings: words.length });
  expect(en.map((issue: any) => [issue.line, issue.column, issue.severity, issue.code])).toEqual(words.map((_, i) => [i + 1, 'lesson_status', 'WARNING', 'STATUS_WORD_MAPPED']));
  expect(en[0].message).toBe('lesson_status: "PASSED" read as the code P (PASSED → P)');
  expect(fr[0].message).toBe('lesson_status : « PASSED » lu comme le code P (PASSED → P)');
  const stored = await app.server.services.store.read((m) => m.query('SELECT status FROM lesson_statistics ORDER BY id'));
  expect(stored.map((row: any) => row.status)).toEqual(words.map(([, code]) => code));
});

test('course-stats: the words of its codes; passed and failed are no course status', async () => {
  const words = [...statusWords.filter(({ code }) => 'NIC'.includes(code)).map(({ word, code }) => [word, code] as const), ['Terminé', 'C'], ['En Cours', 'I'], ['non commencé', 'N']] as const;
  const { job, en } = await importWords('course-stats', (word) => `demo;course_1;${word};;\n`, [...words, ['passed', '-'], ['Échoué', '-']]);
  expect(job.counts).toMatchObject({ added: words.length, rejected: 2, warnings: words.length });
  expect(en.filter((issue: any) => issue.code === 'STATUS_WORD_MAPPED').map((issue: any) => issue.message)).toEqual(
    words.map(([word, code]) => `course_status: "${word}" read as the code ${code} (${word} → ${code})`),
  );
  expect(en.filter((issue: any) => issue.code === 'INVALID_CODE').map((issue: any) => issue.line)).toEqual([words.length + 1, words.length + 2]);
});
