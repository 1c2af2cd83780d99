import fs from 'node:fs';
import path from 'node:path';
import { coreMessages } from '../../src/i18n/messages';
import { build, type TestApp } from '../helpers/build';

const example = (adapter: string) => fs.readFileSync(path.join(__dirname, '../../plugins', adapter, 'example.csv'));
const adapters = ['learners', 'catalog', 'lesson-stats', 'course-stats', 'blackboard-enrollment', 'moodle-enrolment', 'canvas-enrollments'];

let app: TestApp;
beforeAll(async () => {
  app = await build();
});
afterAll(() => app?.close());

test('the eight adapters (seven of files, one of packages) are described with their columns and code tables', async () => {
  const res = await app.gql('{ adapters { name columns { name required codes { code label } } } }');
  expect(res.data.adapters.map((a: any) => a.name).sort()).toEqual([...adapters, 'oneroster'].sort());
  const lesson = res.data.adapters.find((a: any) => a.name === 'lesson-stats');
  expect(lesson.columns.map((c: any) => c.name)).toEqual([
    'user_loginid', 'crsvname', 'lsnvname', 'lnk_type', 'lesson_status', 'lesson_status_date', 'lesson_score', 'lesson_time', 'ilt_status',
  ]);
  expect(lesson.columns.filter((c: any) => c.required).map((c: any) => c.name)).toEqual(['user_loginid', 'crsvname', 'lsnvname', 'lnk_type', 'lesson_status']);
  expect(lesson.columns.find((c: any) => c.name === 'lnk_type').codes.map((c: any) => c.code)).toEqual(['A', 'L', 'W', 'T', 'E']);
  const fr = await app.gql('{ adapter(name: "lesson-stats") { columns { name codes { code label } } } }', {}, { lang: 'fr' });
  expect(fr.data.adapter.columns.find((c: any) => c.name === 'lesson_status').codes).toContainEqual({ code: 'P', label: 'Réussi' });
});

test('every issue message exists in English and French', () => {
  for (const [code, text] of Object.entries(coreMessages)) {
    expect([code, Boolean(text.en && text.fr)]).toEqual([code, true]);
  }
  for (const adapter of app.server.services.registry.list()) {
    for (const [code, text] of Object.entries(adapter.messages ?? {})) {
      expect([adapter.name, code, typeof text === 'object' && Boolean(text.en && text.fr)]).toEqual([adapter.name, code, true]);
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
    }
  }
});

test('the example files import cleanly in the README\'s order, with default options (no enrollIfNeeded)', async () => {
  // The order the README documents: reference data, then enrollments, then statistics.
  for (const adapter of ['learners', 'catalog', 'blackboard-enrollment', 'moodle-enrolment', 'canvas-enrollments', 'lesson-stats', 'course-stats']) {
    const job = await app.importFile(adapter, example(adapter), {});
    const { processed, added, rejected, errors, warnings } = job.counts;
    expect([adapter, job.status, { rejected, errors, warnings }]).toEqual([adapter, 'SUCCEEDED', { rejected: 0, errors: 0, warnings: 0 }]);
    expect([adapter, added]).toEqual([adapter, processed]);
    expect(processed).toBeGreaterThan(0);
  }
});
