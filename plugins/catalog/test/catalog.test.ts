import fs from 'node:fs';
import path from 'node:path';
import { IssueSeverity, OnExisting } from '../../../src/imports/enums';
import { Course } from '../../../src/model/course.entity';
import { CourseItem } from '../../../src/model/course-item.entity';
import { LessonStatistic } from '../../../src/model/lesson-statistic.entity';
import { AdapterTester, type AdapterCase, type TestKit } from '../../../src/testing';

const header = 'crsvname;course_title;lsnvname;lnk_type;lesson_title;course_kind\n';
const comics = `${header}Comics;Comics;;;;\nComics;;{1B38F003-16A9-4432-AB};L;History;\n`;

const course = (kit: TestKit, code: string) => kit.manager.findOneByOrFail(Course, { code });
const item = async (kit: TestKit, courseCode: string, code: string) =>
  kit.manager.findOneByOrFail(CourseItem, { courseId: (await course(kit, courseCode)).id, code });
const versions = async (kit: TestKit, jobId: number) =>
  (await kit.manager.query('SELECT table_name, previous FROM import_row_versions WHERE job_id = ? ORDER BY id', [jobId])).map(
    (row: { table_name: string; previous: string }) => [row.table_name, JSON.parse(row.previous)],
  );

// Courses and items of one batch, then the same file over batches of two rows, real and dry.
const acrossBatches = `${header}C1;First;;;;\nC1;;i1;L;One;\nC1;;i2;A;Two;\nC1;First;;;;\nC1;Second;i1;;;\nC2;;i1;E;;\n`;
const acrossBatchesCounts = { processed: 6, added: 4, updated: 1, unchanged: 1 };
const checkAcrossBatches: AdapterCase['then'] = async (result, kit) => {
  expect(await kit.manager.count(Course)).toBe(2);
  expect(await kit.manager.count(CourseItem)).toBe(3);
  expect(await course(kit, 'C1')).toMatchObject({ title: 'Second', createdJobId: result.job!.id });
  expect(await item(kit, 'C1', 'i2')).toMatchObject({ type: 'A', title: 'Two', createdJobId: result.job!.id });
  expect(await item(kit, 'C2', 'i1')).toMatchObject({ type: 'E' });
};

new AdapterTester('catalog').run({
  valid: [
    {
      name: 'the example file imports: courses, items, and the courses items imply',
      csv: fs.readFileSync(path.join(__dirname, '../example.csv')),
      counts: { processed: 10, added: 10, warnings: 0 },
      then: async (_result, kit) => {
        expect(await kit.manager.count(Course)).toBe(5);
        expect(await kit.manager.count(CourseItem)).toBe(6);
        expect(await item(kit, 'Comics', '{1B38F003-16A9-4432-AB}')).toMatchObject({ type: 'L' });
        expect(await course(kit, 'course_1')).toMatchObject({ kind: 'course' });
        expect(await course(kit, 'students_club')).toMatchObject({ kind: 'organization' });
        expect(await course(kit, 'ENG_201')).toMatchObject({ title: 'English 201' });
      },
    },
    {
      name: 'a course row creates a course of kind course, stamped with the job',
      csv: `${header}Comics;Comics;;;;\n`,
      counts: { added: 1 },
      then: async (result, kit) =>
        expect(await course(kit, 'Comics')).toMatchObject({ title: 'Comics', kind: 'course', createdJobId: result.job!.id }),
    },
    {
      name: 'an item row creates its missing course: one row, counted added',
      csv: `${header}Comics;Comics;{1B38F003-16A9-4432-AB};L;History;\n`,
      counts: { processed: 1, added: 1 },
      then: async (result, kit) => {
        expect(await course(kit, 'Comics')).toMatchObject({ title: 'Comics', createdJobId: result.job!.id });
        expect(await item(kit, 'Comics', '{1B38F003-16A9-4432-AB}')).toMatchObject({ type: 'L', title: 'History', createdJobId: result.job!.id });
      },
    },
    {
      name: 'a course and its items in one batch: created once, later rows see them',
      csv: acrossBatches,
      counts: acrossBatchesCounts,
      then: checkAcrossBatches,
    },
    {
      name: 'a file without a header is read in the column order of the specification',
      csv: 'Comics;Comics;{1B38F003-16A9-4432-AB};W;History\n',
      run: { hasHeader: false },
      counts: { added: 1 },
      then: async (_result, kit) => expect(await item(kit, 'Comics', '{1B38F003-16A9-4432-AB}')).toMatchObject({ type: 'W' }),
    },
    {
      name: 'an existing course is updated, empty cells keep stored values, previous values kept',
      given: [{ adapter: 'catalog', csv: `${header}club;Old;;;;organization\n` }],
      csv: `${header}club;New;;;;\n`,
      counts: { updated: 1, added: 0 },
      then: async (result, kit) => {
        expect(await course(kit, 'club')).toMatchObject({ title: 'New', kind: 'organization', updatedJobId: result.job!.id });
        expect(await versions(kit, result.job!.id)).toEqual([['courses', { title: 'Old' }]]);
      },
    },
    {
      name: 'an existing item is updated (type, title; no statistics: no warning), previous values kept',
      given: [{ adapter: 'catalog', csv: comics }],
      csv: `${header}Comics;;{1B38F003-16A9-4432-AB};A;Quiz;\n`,
      counts: { updated: 1, added: 0, warnings: 0 },
      then: async (result, kit) => {
        expect(await item(kit, 'Comics', '{1B38F003-16A9-4432-AB}')).toMatchObject({ type: 'A', title: 'Quiz', updatedJobId: result.job!.id });
        expect(await versions(kit, result.job!.id)).toEqual([['course_items', { type: 'L', title: 'History' }]]);
      },
    },
    {
      name: 'an existing item without lnk_type keeps its type; the course kind is read in any case',
      given: [{ adapter: 'catalog', csv: comics }],
      csv: `${header}Comics;;{1B38F003-16A9-4432-AB};;Renamed;Organization\n`,
      counts: { updated: 1 },
      then: async (_result, kit) => {
        expect(await item(kit, 'Comics', '{1B38F003-16A9-4432-AB}')).toMatchObject({ type: 'L', title: 'Renamed' });
        expect(await course(kit, 'Comics')).toMatchObject({ kind: 'organization' });
      },
    },
    {
      name: 'identical data counts as unchanged, also with REJECT; new items of an existing course are added with REJECT',
      given: [{ adapter: 'catalog', csv: comics }],
      csv: `${comics}Comics;Comics;new;E;;\n`,
      run: { onExisting: OnExisting.REJECT },
      counts: { unchanged: 2, added: 1, updated: 0 },
    },
    {
      name: 'changing the type of an item with lesson statistics is a warning',
      given: [{ adapter: 'catalog', csv: comics }],
      before: async (kit) => {
        const itemId = (await item(kit, 'Comics', '{1B38F003-16A9-4432-AB}')).id;
        await kit.manager.insert(LessonStatistic, { learnerId: 1, itemId, session: 1, status: 'C', statusDate: '2013-03-22' });
      },
      csv: `${header}Comics;;{1B38F003-16A9-4432-AB};T;;\n`,
      counts: { updated: 1, warnings: 1 },
      issues: [{ line: 2, code: 'ITEM_TYPE_CHANGED', column: 'lnk_type', severity: IssueSeverity.WARNING }],
      then: async (_result, kit) => expect(await item(kit, 'Comics', '{1B38F003-16A9-4432-AB}')).toMatchObject({ type: 'T' }),
    },
    {
      name: 'codes compare exactly, case and accents included, on both databases',
      csv: `${header}Comics;Comics;;;;\ncomics;Comics 2;;;;\nCOMICS;;{1B38F003-16A9-4432-AB};L;;\nCOMICS;;{1b38f003-16a9-4432-ab};L;;\nComícs;;;;;\n`,
      counts: { added: 5 },
      then: async (_result, kit) => expect(await kit.manager.count(Course)).toBe(4),
    },
    {
      name: 'a dry run counts like a real run and writes nothing',
      csv: acrossBatches,
      run: { dryRun: true },
      counts: acrossBatchesCounts,
      then: async (_result, kit) => expect(await kit.manager.count(Course)).toBe(0),
    },
  ],
  invalid: [
    {
      name: 'an existing course with other values is rejected with REJECT',
      given: [{ adapter: 'catalog', csv: comics }],
      csv: `${header}Comics;Other title;;;;\nComics;Other title;{1B38F003-16A9-4432-AB};;;\n`,
      run: { onExisting: OnExisting.REJECT },
      counts: { rejected: 2 },
      issues: [
        { line: 2, code: 'COURSE_EXISTS', column: 'crsvname' },
        { line: 3, code: 'COURSE_EXISTS', column: 'crsvname' },
      ],
      then: async (_result, kit) => expect(await course(kit, 'Comics')).toMatchObject({ title: 'Comics' }),
    },
    {
      name: 'an existing item with other values is rejected with REJECT',
      given: [{ adapter: 'catalog', csv: comics }],
      csv: `${header}Comics;;{1B38F003-16A9-4432-AB};A;;\n`,
      run: { onExisting: OnExisting.REJECT },
      counts: { rejected: 1 },
      issues: [{ line: 2, code: 'ITEM_EXISTS', column: 'lsnvname' }],
      then: async (_result, kit) => expect(await item(kit, 'Comics', '{1B38F003-16A9-4432-AB}')).toMatchObject({ type: 'L' }),
    },
    {
      name: 'a new item without lnk_type is rejected, and its course is not created',
      csv: `${header}Comics;Comics;{1B38F003-16A9-4432-AB};;History;\n`,
      counts: { rejected: 1, added: 0 },
      issues: [{ line: 2, code: 'ITEM_TYPE_REQUIRED', column: 'lnk_type' }],
      then: async (_result, kit) => expect(await kit.manager.count(Course)).toBe(0),
    },
    {
      name: 'lnk_type or lesson_title without lsnvname is an error',
      csv: `${header}Comics;;;L;;\nComics;;;;History;\n`,
      counts: { rejected: 2, errors: 2 },
      issues: [
        { line: 2, code: 'ITEM_ID_REQUIRED', column: 'lsnvname' },
        { line: 3, code: 'ITEM_ID_REQUIRED', column: 'lsnvname' },
      ],
    },
    {
      name: 'a missing course, a bad item type, a bad kind and a too long identifier are errors with their column',
      csv: `${header};Title;;;;\nComics;;x;Z;;\nComics;;;;;community\n${'c'.repeat(101)};;;;;\n`,
      counts: { rejected: 4, errors: 4 },
      issues: [
        { line: 2, code: 'REQUIRED', column: 'crsvname' },
        { line: 3, code: 'INVALID_CODE', column: 'lnk_type' },
        { line: 4, code: 'INVALID_CODE', column: 'course_kind' },
        { line: 5, code: 'TOO_LONG', column: 'crsvname' },
      ],
    },
  ],
});

// Two rows per batch: a course in one batch, its items and updates in the next ones.
new AdapterTester('catalog', { env: { BATCH_SIZE: '2' } }).run({
  valid: [
    { name: 'across batches, a course and its items are created once', csv: acrossBatches, counts: acrossBatchesCounts, then: checkAcrossBatches },
    {
      name: 'across batches, a dry run counts like a real run and writes nothing',
      csv: acrossBatches,
      run: { dryRun: true },
      counts: acrossBatchesCounts,
      then: async (_result, kit) => expect(await kit.manager.count(Course)).toBe(0),
    },
    {
      name: 'across batches, a dry run sees what its earlier batches would have updated',
      given: [{ adapter: 'catalog', csv: comics }],
      csv: `${header}Comics;New;;;;\nComics;;{1B38F003-16A9-4432-AB};A;;\nComics;New;;;;\nComics;;{1B38F003-16A9-4432-AB};A;;\n`,
      run: { dryRun: true },
      counts: { updated: 2, unchanged: 2 },
      then: async (_result, kit) => expect(await course(kit, 'Comics')).toMatchObject({ title: 'Comics' }),
    },
  ],
});
