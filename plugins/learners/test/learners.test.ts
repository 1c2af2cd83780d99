import { Learner } from '../../../src/model/learner.entity';
import { AdapterTester } from '../../../src/testing';

const header = 'user_loginid;firstname;lastname;email;available\n';

new AdapterTester('learners').run({
  valid: [
    {
      name: 'the example file imports',
      csv: require('node:fs').readFileSync(require('node:path').join(__dirname, '../example.csv')),
      counts: { processed: 3, added: 3 },
    },
    {
      name: 'a new learner without availability is available',
      csv: `${header}demo;Demo;Learner;;\n`,
      then: async (_result, kit) => {
        const learner = await kit.manager.findOneByOrFail(Learner, { loginId: 'demo' });
        expect(learner).toMatchObject({ firstName: 'Demo', lastName: 'Learner', email: null, available: true });
      },
    },
    {
      name: 'an existing learner is updated, empty cells keep stored values, previous values kept',
      given: [{ adapter: 'learners', csv: `${header}demo;Demo;Learner;demo@example.com;Y\n` }],
      csv: `${header}demo;;Smith;;N\n`,
      counts: { updated: 1, added: 0 },
      then: async (result, kit) => {
        const learner = await kit.manager.findOneByOrFail(Learner, { loginId: 'demo' });
        expect(learner).toMatchObject({ firstName: 'Demo', lastName: 'Smith', email: 'demo@example.com', available: false });
        expect(learner.updatedJobId).toBe(result.job!.id);
        const versions = await kit.manager.query('SELECT previous FROM import_row_versions WHERE job_id = ?', [result.job!.id]);
        expect(JSON.parse(versions[0].previous)).toEqual({ lastName: 'Learner', available: true });
      },
    },
    {
      name: 'identical data counts as unchanged',
      given: [{ adapter: 'learners', csv: `${header}demo;Demo;Learner;demo@example.com;Y\n` }],
      csv: `${header}demo;Demo;Learner;demo@example.com;Y\n`,
      counts: { unchanged: 1, updated: 0, added: 0 },
    },
    {
      name: 'a login repeated in the file is added once, then updated',
      csv: `${header}demo;Demo;;;\ndemo;;Learner;;\n`,
      counts: { added: 1, updated: 1 },
    },
    {
      name: 'a dry run counts exactly but writes nothing',
      csv: `${header}demo;Demo;;;\ndemo;;Learner;;\nother;;;;\n`,
      run: { dryRun: true },
      counts: { added: 2, updated: 1 },
      then: async (_result, kit) => expect(await kit.manager.count(Learner)).toBe(0),
    },
  ],
  invalid: [
    {
      name: 'an existing learner is rejected with REJECT',
      given: [{ adapter: 'learners', csv: `${header}demo;Demo;;;\n` }],
      csv: `${header}demo;Other;;;\n`,
      run: { onExisting: 'REJECT' as never },
      counts: { rejected: 1 },
      issues: [{ line: 2, code: 'LEARNER_EXISTS', column: 'user_loginid' }],
    },
    {
      name: 'a missing login, a bad e-mail and a bad availability are errors with their column',
      csv: `${header};A;;;\nx;;;not-mail;\ny;;;;maybe\n`,
      counts: { rejected: 3, errors: 3 },
      issues: [
        { line: 2, code: 'REQUIRED', column: 'user_loginid' },
        { line: 3, code: 'INVALID_EMAIL', column: 'email' },
        { line: 4, code: 'INVALID_CODE', column: 'available' },
      ],
    },
  ],
});

// One row a batch: what earlier batches decided must count the same in a dry run (nothing
// written, the database still shows the old values) as in a real run.
const stored = [{ adapter: 'learners', csv: `${header}demo;A;;;\n` }];
const repeated = `${header}demo;B;;;\ndemo;B;;;\nother;;;;\nother;C;;;\n`;
const expected = { added: 1, updated: 2, unchanged: 1 };
new AdapterTester('learners', { env: { BATCH_SIZE: '1' } }).run({
  valid: [
    { name: 'one row a batch: updated, then unchanged; added, then updated', given: stored, csv: repeated, counts: expected },
    { name: 'the same as a dry run', given: stored, csv: repeated, run: { dryRun: true }, counts: expected },
  ],
});
