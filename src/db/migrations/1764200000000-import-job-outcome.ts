import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnKit } from '../migration-columns';

/** import_jobs.outcome: what a finished job came to (null until it finishes); jobs already finished get theirs from their counters. */
export class ImportJobOutcome1764200000000 implements MigrationInterface {
  name = 'ImportJobOutcome1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumn('import_jobs', new TableColumn(c.varchar('outcome', 20, { isNullable: true })));
    // As outcomeOf (import-job.entity.ts) decides.
    await queryRunner.query(
      `UPDATE import_jobs SET outcome = CASE
         WHEN added + updated + unchanged = 0 THEN 'NOTHING_IMPORTED'
         WHEN rejected > 0 THEN 'WITH_REJECTS'
         ELSE 'CLEAN' END
       WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('import_jobs', 'outcome');
  }
}
