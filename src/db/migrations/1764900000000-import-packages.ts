import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnKit } from '../migration-columns';

/**
 * Package imports (several files of one zip imported in one job, e.g. OneRoster CSV):
 * import_files.members (what the check step found in each member file), import_jobs.member_index
 * (the checkpoint's member: recordsDone counts that member's records) and import_issues.file
 * (the member file an issue is about; null for a plain file).
 */
export class ImportPackages1764900000000 implements MigrationInterface {
  name = 'ImportPackages1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumn('import_files', new TableColumn(c.text('members', { isNullable: true })));
    await queryRunner.addColumn('import_jobs', new TableColumn(c.int('member_index', { default: 0 })));
    await queryRunner.addColumn('import_issues', new TableColumn(c.varchar('file', 100, { isNullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('import_issues', 'file');
    await queryRunner.dropColumn('import_jobs', 'member_index');
    await queryRunner.dropColumn('import_files', 'members');
  }
}
