import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnKit } from '../migration-columns';

/**
 * One large import split across workers: import_jobs.partitions (the parts a job was split
 * into, on the job and on each of its parts), parent_id and partition_index (on a part: the job
 * it belongs to, and which part it is).
 */
export class ImportJobPartitions1764400000000 implements MigrationInterface {
  name = 'ImportJobPartitions1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumns('import_jobs', [
      new TableColumn(c.int('partitions', { default: 0 })),
      new TableColumn(c.int('parent_id', { isNullable: true })),
      new TableColumn(c.int('partition_index', { isNullable: true })),
    ]);
    await queryRunner.createIndex('import_jobs', new TableIndex({ name: 'ix_import_jobs_parent', columnNames: ['parent_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('import_jobs', 'ix_import_jobs_parent');
    await queryRunner.dropColumns('import_jobs', ['partition_index', 'parent_id', 'partitions']);
  }
}
