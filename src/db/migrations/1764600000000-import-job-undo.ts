import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnKit } from '../migration-columns';

/**
 * Undo jobs (undoImport): import_jobs.undoes_job_id (the import an undo job takes back),
 * undo_conflicts (REFUSE, SKIP or FORCE), undo_cursor (its checkpoint), and the counters
 * deleted, restored and conflicts; import_row_versions gets an index by row, so that an undo finds
 * every version of the rows it restores (and the job that wrote them before) without a scan.
 */
export class ImportJobUndo1764600000000 implements MigrationInterface {
  name = 'ImportJobUndo1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumns('import_jobs', [
      new TableColumn(c.int('deleted', { default: 0 })),
      new TableColumn(c.int('restored', { default: 0 })),
      new TableColumn(c.int('conflicts', { default: 0 })),
      new TableColumn(c.int('undoes_job_id', { isNullable: true })),
      new TableColumn(c.varchar('undo_conflicts', 8, { isNullable: true })),
      new TableColumn(c.text('undo_cursor', { isNullable: true })),
    ]);
    await queryRunner.createIndex('import_jobs', new TableIndex({ name: 'ix_import_jobs_undoes', columnNames: ['undoes_job_id'] }));
    await queryRunner.createIndex('import_row_versions', new TableIndex({ name: 'ix_import_row_versions_row', columnNames: ['table_name', 'row_id', 'job_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('import_row_versions', 'ix_import_row_versions_row');
    await queryRunner.dropIndex('import_jobs', 'ix_import_jobs_undoes');
    await queryRunner.dropColumns('import_jobs', ['undo_cursor', 'undo_conflicts', 'undoes_job_id', 'conflicts', 'restored', 'deleted']);
  }
}
