import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnKit } from '../migration-columns';

/** XLSX input: import_files.sheets, a workbook's sheet names as the check step found them (null for a CSV file). */
export class ImportFileSheets1765100000000 implements MigrationInterface {
  name = 'ImportFileSheets1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumn('import_files', new TableColumn(c.text('sheets', { isNullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('import_files', 'sheets');
  }
}
