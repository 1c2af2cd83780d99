import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnKit, index, uniqueIndex } from '../migration-columns';

/** The LMS model (SPEC §2), the import bookkeeping and the API tokens. */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);

    await c.createTable(
      'learners',
      [
        c.id(),
        c.key('login_id', 100),
        c.varchar('first_name', 100, { isNullable: true }),
        c.varchar('last_name', 100, { isNullable: true }),
        c.varchar('email', 254, { isNullable: true }),
        c.bool('available', { default: 1 }),
        ...c.jobStamps(),
      ],
      [uniqueIndex('uq_learners_login_id', ['login_id'])],
    );
    await c.createTable(
      'courses',
      [
        c.id(),
        c.key('code', 100),
        c.varchar('title', 255, { isNullable: true }),
        c.varchar('kind', 20, { default: "'course'" }),
        ...c.jobStamps(),
      ],
      [uniqueIndex('uq_courses_code', ['code'])],
    );
    await c.createTable(
      'course_items',
      [
        c.id(),
        c.int('course_id'),
        c.key('code', 100),
        c.varchar('type', 1),
        c.varchar('title', 255, { isNullable: true }),
        ...c.jobStamps(),
      ],
      [uniqueIndex('uq_course_items_course_code', ['course_id', 'code'])],
    );
    await c.createTable(
      'enrollments',
      [
        c.id(),
        c.int('learner_id'),
        c.int('course_id'),
        c.varchar('role', 1, { default: "'S'" }),
        c.bool('available', { default: 1 }),
        c.date('enrolled_on', { isNullable: true }),
        ...c.jobStamps(),
      ],
      [
        uniqueIndex('uq_enrollments_learner_course', ['learner_id', 'course_id']),
        index('ix_enrollments_course', ['course_id']),
      ],
    );
    await c.createTable(
      'course_statistics',
      [
        c.id(),
        c.int('learner_id'),
        c.int('course_id'),
        c.int('session'),
        c.varchar('status', 1),
        c.date('status_date'),
        c.date('enrollment_date', { isNullable: true }),
        ...c.jobStamps(),
      ],
      [
        uniqueIndex('uq_course_statistics_session', ['learner_id', 'course_id', 'session']),
        index('ix_course_statistics_course', ['course_id']),
      ],
    );
    await c.createTable(
      'lesson_statistics',
      [
        c.id(),
        c.int('learner_id'),
        c.int('item_id'),
        c.int('session'),
        c.varchar('status', 1),
        c.date('status_date'),
        c.double('score', { isNullable: true }),
        c.int('time_spent', { isNullable: true }),
        c.varchar('ilt_status', 1, { isNullable: true }),
        ...c.jobStamps(),
      ],
      [
        uniqueIndex('uq_lesson_statistics_session', ['learner_id', 'item_id', 'session']),
        index('ix_lesson_statistics_item', ['item_id']),
      ],
    );
    await c.createTable(
      'import_row_versions',
      [
        c.id(),
        c.int('job_id'),
        c.varchar('table_name', 64),
        c.int('row_id'),
        c.text('previous'),
        c.stamp('created_at'),
      ],
      [index('ix_import_row_versions_job', ['job_id'])],
    );
    await c.createTable('import_files', [
      c.id(),
      c.varchar('adapter', 100),
      c.varchar('file_name', 255),
      c.varchar('stored_name', 64),
      c.int('size'),
      c.varchar('sha256', 64),
      c.varchar('encoding', 20),
      c.varchar('delimiter', 4),
      c.bool('has_header'),
      c.text('columns'),
      c.text('preview'),
      c.text('problems'),
      c.int('uploaded_by_token_id', { isNullable: true }),
      c.stamp('created_at'),
    ]);
    await c.createTable(
      'import_jobs',
      [
        c.id(),
        c.varchar('adapter', 100),
        c.int('file_id'),
        c.varchar('status', 12),
        c.bool('dry_run', { default: 0 }),
        c.varchar('on_existing', 12),
        c.bool('enroll_if_needed', { default: 0 }),
        c.text('options'),
        c.date('import_date'),
        c.double('progress', { default: 0 }),
        c.int('records_done', { default: 0 }),
        c.int('rejects_bytes', { default: 0 }),
        ...['processed', 'rejected', 'added', 'updated', 'unchanged', 'errors', 'warnings'].map((name) =>
          c.int(name, { default: 0 }),
        ),
        c.text('failure', { isNullable: true }),
        c.bool('cancel_requested', { default: 0 }),
        c.int('token_id', { isNullable: true }),
        c.stamp('created_at'),
        c.datetime('started_at', { isNullable: true }),
        c.datetime('finished_at', { isNullable: true }),
      ],
      [index('ix_import_jobs_status', ['status'])],
    );
    await c.createTable(
      'import_issues',
      [
        c.id(),
        c.int('job_id'),
        c.int('line', { isNullable: true }),
        c.varchar('column', 100, { isNullable: true }),
        c.varchar('severity', 7),
        c.varchar('code', 64),
        c.text('message'),
        c.text('params', { isNullable: true }),
      ],
      [index('ix_import_issues_job', ['job_id', 'id'])],
    );
    await c.createTable(
      'api_tokens',
      [
        c.id(),
        c.varchar('name', 100),
        c.varchar('role', 10),
        c.varchar('secret_hash', 64),
        c.stamp('created_at'),
        c.datetime('last_used_at', { isNullable: true }),
        c.datetime('revoked_at', { isNullable: true }),
      ],
      [uniqueIndex('uq_api_tokens_secret_hash', ['secret_hash'])],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'api_tokens',
      'import_issues',
      'import_jobs',
      'import_files',
      'import_row_versions',
      'lesson_statistics',
      'course_statistics',
      'enrollments',
      'course_items',
      'courses',
      'learners',
    ]) {
      await queryRunner.dropTable(table, true);
    }
  }
}
