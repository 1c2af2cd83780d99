import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { coreEntities, coreMigrations, openDataSource } from '../../src/db/data-source';
import { dropTestDatabase, mysqlServer, testDatabase } from '../helpers/build';

test('the migrations create exactly the schema the entities describe, and revert', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-migrations-'));
  const dbName = `lms_mig_${randomBytes(4).toString('hex')}`;
  const databaseUrl = testDatabase === 'mysql' ? `${mysqlServer}/${dbName}` : `sqlite:${path.join(dir, 'm.sqlite')}`;
  const dataSource = await openDataSource({ databaseUrl, entities: coreEntities, migrations: coreMigrations });
  try {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    for (const _migration of coreMigrations) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await dataSource.createQueryRunner().getTables(['learners', 'import_jobs']);
    expect(tables).toEqual([]);
  } finally {
    await dataSource.destroy();
    await dropTestDatabase(dbName);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
