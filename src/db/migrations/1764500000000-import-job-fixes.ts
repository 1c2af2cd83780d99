import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnKit } from '../migration-columns';

/** import_jobs.fixes_job_id: the job whose rejected records this job imports again, corrected. */
export class ImportJobFixes1764500000000 implements MigrationInterface {
  name = 'ImportJobFixes1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumn('import_jobs', new TableColumn(c.int('fixes_job_id', { isNullable: true })));
    await queryRunner.createIndex('import_jobs', new TableIndex({ name: 'ix_import_jobs_fixes', columnNames: ['fixes_job_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('import_jobs', 'ix_import_jobs_fixes');
    await queryRunner.dropColumn('import_jobs', 'fixes_job_id');
  }
}
