import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnKit, uniqueIndex } from '../migration-columns';

/**
 * Saved column mappings (saveColumnMapping): column_mappings, a name unique per adapter (compared
 * exactly on both databases); import_files.saved_mapping (the mapping the header matched, as the
 * check applied it: the import uses it even if the mapping is deleted or changed since).
 */
export class ColumnMappings1764800000000 implements MigrationInterface {
  name = 'ColumnMappings1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await c.createTable(
      'column_mappings',
      [
        c.id(),
        c.key('adapter', 100),
        c.key('name', 100),
        c.text('map'),
        c.text('file_columns'),
        c.int('created_by_token_id', { isNullable: true }),
        c.stamp('created_at'),
      ],
      [uniqueIndex('uq_column_mappings_name', ['adapter', 'name'])],
    );
    await queryRunner.addColumn('import_files', new TableColumn(c.text('saved_mapping', { isNullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('import_files', 'saved_mapping');
    await queryRunner.dropTable('column_mappings', true);
  }
}
