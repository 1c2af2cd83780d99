import fs from 'node:fs';
import path from 'node:path';
import { Enrollment } from '../../../src/model/enrollment.entity';
import { failOnRowByRow } from '../../../src/testing/fixtures';
import { AdapterTester } from '../../../src/testing';
import { addCourses, coursesThenEnrolled, enrollment, keptVersions, learner, learners } from './helpers';

// Reading the format (separators, quotes, line ends, header), validating cells, references.
// What happens to existing enrollments is in existing-enrollments.test.ts.
const before = coursesThenEnrolled();
const frenchHeader = `"Code cours","Nom d'utilisateur","Fonction au sein du cours","Disponibilité du système","Disponibilité du cours"`;

new AdapterTester('blackboard-enrollment').run(
  failOnRowByRow({
    valid: [
      {
        name: 'the example file imports after the learners and catalog examples',
        given: ['learners', 'catalog'].map((adapter) => ({ adapter, csv: fs.readFileSync(path.join(__dirname, `../../${adapter}/example.csv`), 'utf8') })),
        csv: fs.readFileSync(path.join(__dirname, '../example.csv')),
        counts: { processed: 5, added: 5 },
      },
      {
        name: "the seed's comma example imports with Blackboard's defaults, stamped with the job",
        given: learners,
        before,
        csv: '"ENG_201","jbell"\r\n"ENG_202","jbell"\r\n',
        counts: { processed: 2, added: 2 },
        then: async (result, kit) => {
          expect(result.file).toMatchObject({ delimiter: ',', hasHeader: false });
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({
            role: 'S',
            available: true,
            enrolledOn: result.job!.importDate,
            createdJobId: result.job!.id,
            updatedJobId: null,
          });
        },
      },
      {
        name: "the seed's colon example imports",
        given: learners,
        before,
        csv: '"ENG_201":"jbell"\r\n"ENG_202":"jbell"\r\n',
        counts: { added: 2 },
        then: (result) => expect(result.file.delimiter).toBe(':'),
      },
      {
        name: 'tab-separated unquoted fields with LF line ends, codes in any case; system availability is the learner’s',
        given: learners,
        before,
        csv: 'ENG_201\tjbell\tP\tN\tN\nENG_202\tdemo\tb\ty\tn\n',
        counts: { added: 2 },
        then: async (result, kit) => {
          expect(result.file.delimiter).toBe('\t');
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'P', available: false });
          expect(await enrollment(kit, 'demo', 'ENG_202')).toMatchObject({ role: 'B', available: false });
          expect(await learner(kit, 'jbell')).toMatchObject({ available: false, updatedJobId: result.job!.id });
          expect(await learner(kit, 'demo')).toMatchObject({ available: true, updatedJobId: null });
          expect(await keptVersions(kit, result)).toEqual([['learners', { available: true }]]);
        },
      },
      {
        name: 'CR line ends (old Mac) are accepted, and a last line without an end',
        given: learners,
        before,
        csv: '"ENG_201","jbell"\r"ENG_202","amartin"\r"ENG_202","demo"',
        counts: { processed: 3, added: 3 },
      },
      {
        name: 'an English header row is recognised and skipped',
        given: learners,
        before,
        csv: '"Course ID","Username","Role","System availability","Course availability"\n"ENG_201","jbell","T","Y","N"\n',
        counts: { processed: 1, added: 1 },
        then: async (result, kit) => {
          expect(result.file.hasHeader).toBe(true);
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'T', available: false });
        },
      },
      {
        name: "the French header row of Blackboard's documentation is recognised and skipped",
        given: learners,
        before,
        csv: `${frenchHeader}\r\n"ENG_201","jbell","G","Y","N"\r\n`,
        counts: { processed: 1, added: 1, warnings: 0 },
        then: (result) => expect(result.file.hasHeader).toBe(true),
      },
      {
        name: 'the documentation’s header as written, with a space before its last name, still maps every column',
        given: learners,
        before,
        csv: `${frenchHeader.replace(',"Disponibilité du cours"', ', "Disponibilité du cours"')}\r\n"ENG_201","jbell","S","Y","N"\r\n`,
        counts: { added: 1, warnings: 0 },
        then: async (_result, kit) => expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ available: false }),
      },
      {
        name: 'empty optional cells: student, available; the learner’s account is left as it is',
        given: learners,
        before,
        csv: '"ENG_201","amartin","","",""\n"ENG_202","amartin"\n',
        counts: { added: 2 },
        then: async (_result, kit) => {
          expect(await enrollment(kit, 'amartin', 'ENG_201')).toMatchObject({ role: 'S', available: true });
          expect(await learner(kit, 'amartin')).toMatchObject({ available: false, updatedJobId: null });
        },
      },
      {
        name: 'an organization (Blackboard community) is enrolled in like a course',
        given: learners,
        before: (kit) => addCourses(kit, ['CLUB_CHESS'], 'organization'),
        csv: '"CLUB_CHESS","jbell","P"\n',
        counts: { added: 1 },
        then: async (_result, kit) => expect(await enrollment(kit, 'jbell', 'CLUB_CHESS')).toMatchObject({ role: 'P' }),
      },
    ],
    invalid: [
      {
        name: "the seed's malformed record is one error with its line; the others import",
        given: learners,
        before,
        csv: '"ENG_202","demo"\r\n"ENG_201","jbell"jbell"\r\n"ENG_202","jbell"\r\n',
        counts: { processed: 3, rejected: 1, added: 2, errors: 1 },
        issues: [{ line: 2, code: 'MALFORMED_RECORD' }],
        then: (result) => expect(result.rejectsCsv).toContain('"ENG_201","jbell"jbell"'),
      },
      {
        name: 'a quoted record with another separator than the file’s is an error for that record',
        given: learners,
        before,
        csv: '"ENG_201","jbell"\n"ENG_202":"jbell"\n"ENG_202"\t"amartin"\n"ENG_202","demo"\n',
        counts: { processed: 4, rejected: 2, added: 2, errors: 2 },
        issues: [
          { line: 2, code: 'MALFORMED_RECORD' },
          { line: 3, code: 'MALFORMED_RECORD' },
        ],
        then: (result) => expect(result.file.delimiter).toBe(','),
      },
      {
        name: 'an unquoted record with another separator is one WRONG_SEPARATOR error',
        given: learners,
        before,
        csv: 'ENG_201,jbell\nENG_202:jbell\nENG_202\tdemo\nENG_201;amartin\nENG_202,amartin,S,Y:N\nENG_201,demo\nENG_202,demo\n',
        counts: { processed: 7, rejected: 4, added: 3, errors: 4 },
        issues: [
          { line: 2, code: 'WRONG_SEPARATOR', column: 'course_id' },
          { line: 3, code: 'WRONG_SEPARATOR', column: 'course_id' },
          { line: 4, code: 'WRONG_SEPARATOR', column: 'course_id' },
          { line: 5, code: 'WRONG_SEPARATOR', column: 'system_availability' },
        ],
        then: (result) => expect(result.file.delimiter).toBe(','),
      },
      {
        name: 'a semicolon is not a Blackboard separator, even where most records use it',
        given: learners,
        before,
        csv: '"ENG_201","demo"\n"ENG_201";"jbell"\n"ENG_202";"jbell"\n',
        counts: { rejected: 2, added: 1, errors: 2 },
        issues: [
          { line: 2, code: 'MALFORMED_RECORD' },
          { line: 3, code: 'MALFORMED_RECORD' },
        ],
      },
      {
        name: 'a comma record in a colon file is an error too',
        given: learners,
        before,
        csv: '"ENG_201":"jbell"\nENG_202,jbell\n"ENG_202":"demo"\n',
        counts: { rejected: 1, added: 2, errors: 1 },
        issues: [{ line: 2, code: 'WRONG_SEPARATOR', column: 'course_id' }],
        then: (result) => expect(result.file.delimiter).toBe(':'),
      },
      {
        name: '\\" in a quoted field is a literal quote (then an invalid identifier), not a broken record',
        given: learners,
        before,
        csv: '"ENG\\"201","jbell"\n"ENG_201","jbell"\n',
        counts: { rejected: 1, added: 1, errors: 1 },
        issues: [{ line: 1, code: 'INVALID_IDENTIFIER', column: 'course_id' }],
        then: (result) => expect(result.issues[0].params).toMatchObject({ value: 'ENG"201' }),
      },
      {
        name: 'course ID and username are required identifiers',
        given: learners,
        before,
        csv: '"","jbell"\n"ENG_201",""\n"ENG 201","jbell"\n"ENG_201","j/bell"\n"ENG_201","jbell"\n',
        counts: { processed: 5, rejected: 4, added: 1, errors: 4 },
        issues: [
          { line: 1, code: 'REQUIRED', column: 'course_id' },
          { line: 2, code: 'REQUIRED', column: 'username' },
          { line: 3, code: 'INVALID_IDENTIFIER', column: 'course_id' },
          { line: 4, code: 'INVALID_IDENTIFIER', column: 'username' },
        ],
      },
      {
        name: 'roles are B G P S T U and availabilities Y or N',
        given: learners,
        before,
        csv: '"ENG_201","jbell","X"\n"ENG_201","demo","S","maybe"\n"ENG_202","demo","S","Y","1"\n',
        counts: { rejected: 3, added: 0, errors: 3 },
        issues: [
          { line: 1, code: 'INVALID_CODE', column: 'role' },
          { line: 2, code: 'INVALID_CODE', column: 'system_availability' },
          { line: 3, code: 'INVALID_CODE', column: 'course_availability' },
        ],
      },
      {
        name: 'the learner and the course must exist',
        given: learners,
        before,
        csv: '"NOPE_101","jbell"\n"ENG_201","nobody"\n"NOPE_101","nobody"\n',
        counts: { rejected: 3, errors: 4 },
        issues: [
          { line: 1, code: 'UNKNOWN_COURSE', column: 'course_id' },
          { line: 2, code: 'UNKNOWN_LEARNER', column: 'username' },
          { line: 3, code: 'UNKNOWN_COURSE', column: 'course_id' },
          { line: 3, code: 'UNKNOWN_LEARNER', column: 'username' },
        ],
        then: async (_result, kit) => expect(await kit.manager.count(Enrollment)).toBe(0),
      },
    ],
  }),
);
