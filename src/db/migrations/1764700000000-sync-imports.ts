import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnKit } from '../migration-columns';

/**
 * Sync ("snapshot") imports: import_jobs.mode (MERGE or SNAPSHOT), data_set (the rows a job
 * writes are its data set's), change_threshold, the counter retired and sync_phase (where the
 * retirements of a snapshot are: null, DONE or EXCEEDED); courses and course_items get `active`
 * (a retired course or item is inactive, never deleted with its statistics);
 * import_sync_keys holds the keys of the records a snapshot job read, until it has retired the rows
 * its file no longer has.
 */
export class SyncImports1764700000000 implements MigrationInterface {
  name = 'SyncImports1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumns('import_jobs', [
      new TableColumn(c.varchar('mode', 8, { default: "'MERGE'" })),
      new TableColumn(c.varchar('data_set', 100, { isNullable: true })),
      new TableColumn(c.int('change_threshold', { isNullable: true })),
      new TableColumn(c.int('retired', { default: 0 })),
      new TableColumn(c.varchar('sync_phase', 8, { isNullable: true })),
    ]);
    await queryRunner.createIndex('import_jobs', new TableIndex({ name: 'ix_import_jobs_data_set', columnNames: ['data_set'] }));
    await queryRunner.addColumn('courses', new TableColumn(c.bool('active', { default: 1 })));
    await queryRunner.addColumn('course_items', new TableColumn(c.bool('active', { default: 1 })));
    await queryRunner.createTable(
      new Table({
        name: 'import_sync_keys',
        columns: [c.id(), c.int('job_id'), c.varchar('scope', 20), c.key('k1', 100), { ...c.key('k2', 100), default: "''" }],
        indices: [{ name: 'ix_import_sync_keys_job', columnNames: ['job_id', 'scope', 'k1', 'k2'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('import_sync_keys');
    await queryRunner.dropColumn('course_items', 'active');
    await queryRunner.dropColumn('courses', 'active');
    await queryRunner.dropIndex('import_jobs', 'ix_import_jobs_data_set');
    await queryRunner.dropColumns('import_jobs', ['sync_phase', 'retired', 'change_threshold', 'data_set', 'mode']);
  }
}
