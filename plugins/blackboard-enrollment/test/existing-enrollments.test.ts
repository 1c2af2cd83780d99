import { OnExisting } from '../../../src/imports/enums';
import { Enrollment } from '../../../src/model/enrollment.entity';
import { failOnRowByRow } from '../../../src/testing/fixtures';
import { AdapterTester, TestKit, type ImportResult } from '../../../src/testing';
import { addCourses, coursesThenEnrolled, enrollment, keptVersions, learner, learners } from './helpers';

// Existing enrollments (onExisting), repeated rows, dry runs, batches and the record limit.
const UPDATE = { onExisting: OnExisting.UPDATE };
const enrolledAsStudent = coursesThenEnrolled('"ENG_201","jbell","S","Y","Y"\n');

new AdapterTester('blackboard-enrollment').run(
  failOnRowByRow({
    valid: [
      {
        name: 'REJECT is the default, and identical data is unchanged, not an error',
        given: learners,
        before: enrolledAsStudent,
        csv: '"ENG_201","jbell","S","Y","Y"\n"ENG_201","jbell"\n',
        counts: { unchanged: 2, added: 0, rejected: 0 },
        then: (result) => expect(result.job!.onExisting).toBe(OnExisting.REJECT),
      },
      {
        name: 'UPDATE changes role and course availability, keeps the previous values and stamps the job',
        given: learners,
        before: enrolledAsStudent,
        csv: '"ENG_201","jbell","P","Y","N"\n',
        run: UPDATE,
        counts: { updated: 1, added: 0 },
        then: async (result, kit) => {
          const stored = await enrollment(kit, 'jbell', 'ENG_201');
          expect(stored).toMatchObject({ role: 'P', available: false, updatedJobId: result.job!.id });
          expect(stored!.createdJobId).not.toBe(result.job!.id);
          expect(await keptVersions(kit, result)).toEqual([['enrollments', { role: 'S', available: true }]]);
        },
      },
      {
        name: 'UPDATE with identical data, or with empty cells, is unchanged',
        given: learners,
        before: coursesThenEnrolled('"ENG_201","jbell","P","Y","N"\n'),
        csv: '"ENG_201","jbell","P","Y","N"\n"ENG_201","jbell"\n"ENG_201","jbell","","","N"\n',
        run: UPDATE,
        counts: { unchanged: 3, updated: 0 },
        then: async (_result, kit) => expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'P', updatedJobId: null }),
      },
      {
        name: "UPDATE: a row that only changes the learner's system availability counts as updated",
        given: learners,
        before: enrolledAsStudent,
        csv: '"ENG_201","jbell","S","N","Y"\n',
        run: UPDATE,
        counts: { updated: 1, unchanged: 0 },
        then: async (result, kit) => {
          expect(await learner(kit, 'jbell')).toMatchObject({ available: false, updatedJobId: result.job!.id });
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ updatedJobId: null });
          expect(await keptVersions(kit, result)).toEqual([['learners', { available: true }]]);
        },
      },
      {
        name: 'a pair repeated in one batch is enrolled once; the repeat is unchanged',
        given: learners,
        before: coursesThenEnrolled(),
        csv: '"ENG_201","jbell","P"\n"ENG_201","jbell","P"\n',
        counts: { added: 1, unchanged: 1 },
        then: async (_result, kit) => expect(await kit.manager.count(Enrollment)).toBe(1),
      },
      {
        name: 'UPDATE: a pair repeated in one batch is added, then updated by the later row',
        given: learners,
        before: coursesThenEnrolled(),
        csv: '"ENG_201","jbell","S","N"\n"ENG_201","jbell","T","Y"\n',
        run: UPDATE,
        counts: { added: 1, updated: 1 },
        then: async (result, kit) => {
          expect(await kit.manager.count(Enrollment)).toBe(1);
          const stored = await enrollment(kit, 'jbell', 'ENG_201');
          expect(stored).toMatchObject({ role: 'T', createdJobId: result.job!.id, updatedJobId: result.job!.id });
          expect(await learner(kit, 'jbell')).toMatchObject({ available: true });
        },
      },
      {
        name: 'a file larger than a batch and than one INSERT is written whole, then updated whole',
        given: [{ adapter: 'learners', csv: `user_loginid\n${logins(40).join('\n')}\n` }],
        before: (kit) => addCourses(kit, courseCodes(30)),
        csv: pairs(40, 30, 'S'),
        counts: { processed: 1200, added: 1200 },
        then: async (_result, kit) => {
          const again = await kit.import('blackboard-enrollment', pairs(40, 30, 'T'), UPDATE);
          expect(again.job).toMatchObject({ updated: 1200, errors: 0 });
          expect(await kit.manager.countBy(Enrollment, { role: 'T' })).toBe(1200);
        },
      },
    ],
    invalid: [
      {
        name: 'REJECT: an existing enrollment with other data is rejected and left as it is',
        given: learners,
        before: enrolledAsStudent,
        csv: '"ENG_201","jbell","P"\n',
        counts: { rejected: 1, errors: 1 },
        issues: [{ line: 1, code: 'ENROLLMENT_EXISTS', column: 'role' }],
        then: async (result, kit) => {
          expect(result.logText).toContain('role S → P');
          expect(await kit.services.reports.logText(result.job!, 'fr')).toContain('est déjà inscrit au cours « ENG_201 » avec d’autres valeurs (role S → P)');
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'S', updatedJobId: null });
        },
      },
      {
        name: "REJECT: a different system availability alone rejects the row, and the learner's account stays",
        given: learners,
        before: enrolledAsStudent,
        csv: '"ENG_201","jbell","","N"\n',
        counts: { rejected: 1 },
        issues: [{ line: 1, code: 'ENROLLMENT_EXISTS', column: 'system_availability' }],
        then: async (_result, kit) => expect(await learner(kit, 'jbell')).toMatchObject({ available: true }),
      },
      {
        name: 'REJECT: a pair repeated in one batch with other data is rejected',
        given: learners,
        before: coursesThenEnrolled(),
        csv: '"ENG_201","jbell","S"\n"ENG_201","jbell","P"\n',
        counts: { added: 1, rejected: 1 },
        issues: [{ line: 2, code: 'ENROLLMENT_EXISTS', column: 'role' }],
      },
    ],
  }),
);

// Two records per batch, so that repeated pairs and accounts span batches.
const spanningBatches = [
  '"ENG_201","jbell","S","N"', // batch 1: added, jbell's account closed
  '"ENG_202","demo"', // added
  '"ENG_201","jbell","T","N"', // batch 2: updated (added by batch 1); account already closed
  '"ENG_202","jbell","","N"', // added
  '"ENG_201","jbell","T","N"', // batch 3: unchanged
  '"ENG_202","demo","","Y"', // unchanged
].join('\n');

new AdapterTester('blackboard-enrollment', { env: { BATCH_SIZE: '2' } }).run(
  failOnRowByRow({
    valid: [
      {
        name: 'a dry run writes nothing and counts exactly like the real run, across batches',
        given: learners,
        before: coursesThenEnrolled(),
        csv: spanningBatches,
        run: { ...UPDATE, dryRun: true },
        counts: { processed: 6, added: 3, updated: 1, unchanged: 2 },
        then: async (dry, kit) => {
          expect(await kit.manager.count(Enrollment)).toBe(0);
          expect(await learner(kit, 'jbell')).toMatchObject({ available: true });
          const real = await kit.import('blackboard-enrollment', spanningBatches, UPDATE);
          expect(counters(real)).toEqual(counters(dry));
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'T' });
        },
      },
    ],
  }),
);

describe('blackboard-enrollment: the administrator’s record limit', () => {
  it('refuses a file with more records than MAX_RECORDS_BY_ADAPTER, accepts one at the limit', async () => {
    const kit = await TestKit.create({ env: { MAX_RECORDS_BY_ADAPTER: 'blackboard-enrollment=2' } });
    try {
      await kit.import('learners', learners[0].csv);
      await addCourses(kit);
      const tooMany = await kit.import('blackboard-enrollment', '"ENG_201","jbell"\n"ENG_202","jbell"\n"ENG_201","demo"\n');
      expect(tooMany.job).toBeNull();
      expect(tooMany.refused).toMatchObject({ code: 'BAD_USER_INPUT' });
      const problems = await kit.services.imports.run({ fileId: tooMany.file.id }, null).catch((error) => error.extensions?.problems);
      expect(problems).toEqual([expect.objectContaining({ code: 'TOO_MANY_RECORDS', params: { max: '2' } })]);
      const atLimit = await kit.import('blackboard-enrollment', '"ENG_201","jbell"\n"ENG_202","jbell"\n');
      expect(atLimit.job).toMatchObject({ added: 2, errors: 0 });
    } finally {
      await kit.close();
    }
  });
});

function counters(result: ImportResult) {
  const { processed, added, updated, unchanged, rejected, errors, warnings } = result.job!;
  return { processed, added, updated, unchanged, rejected, errors, warnings };
}

function logins(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `learner${i}`);
}

function courseCodes(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `COURSE_${i}`);
}

/** Every learner in every course, with one role. */
function pairs(learnerCount: number, courseCount: number, role: string): string {
  return courseCodes(courseCount)
    .flatMap((course) => logins(learnerCount).map((login) => `"${course}","${login}","${role}"`))
    .join('\r\n');
}
