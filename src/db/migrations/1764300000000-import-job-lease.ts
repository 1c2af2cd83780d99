import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnKit } from '../migration-columns';

/**
 * import_jobs.lease: the fencing token of a job's runs. Each run takes the next one, and every
 * batch commits only while the job still has it: a worker another one took the job from (it
 * stalled, was paused, lost Redis) can never write again.
 */
export class ImportJobLease1764300000000 implements MigrationInterface {
  name = 'ImportJobLease1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumn('import_jobs', new TableColumn(c.int('lease', { default: 0 })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('import_jobs', 'lease');
  }
}
