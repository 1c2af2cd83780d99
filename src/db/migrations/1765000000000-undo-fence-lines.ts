import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnKit } from '../migration-columns';

const DATA_TABLES = ['learners', 'courses', 'course_items', 'enrollments', 'lesson_statistics', 'course_statistics'];

/**
 * data_generation, the fence between undo jobs and imports (src/undo/fence.ts), with its one
 * row; created_line on the data tables and line on import_row_versions: the line of the
 * import's file a row was added or updated from, which the undo's conflicts name.
 */
export class UndoFenceLines1765000000000 implements MigrationInterface {
  name = 'UndoFenceLines1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await c.createTable('data_generation', [{ ...c.int('id'), isPrimary: true }, c.int('generation', { default: 0 })]);
    await queryRunner.query('INSERT INTO data_generation (id, generation) VALUES (1, 0)');
    for (const table of DATA_TABLES) await queryRunner.addColumn(table, new TableColumn(c.int('created_line', { isNullable: true })));
    await queryRunner.addColumn('import_row_versions', new TableColumn(c.int('line', { isNullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('import_row_versions', 'line');
    for (const table of DATA_TABLES) await queryRunner.dropColumn(table, 'created_line');
    await queryRunner.dropTable('data_generation');
  }
}
