import 'reflect-metadata';
import { AdapterRegistry } from './src/adapters/registry';
import { loadConfig } from './src/config/config';
import { coreEntities, coreMigrations, prepareDataSource } from './src/db/data-source';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:show`, `npm run migration:run`):
 * the same configuration and the same entities and migrations as the service, plugins included.
 * As at start-up, a missing MySQL database (or SQLite folder) is created first; a server that
 * cannot be reached is said in one line, not a stack. The service itself applies pending
 * migrations at start-up.
 */
const config = loadConfig();
const registry = AdapterRegistry.load({ extra: config.LMS_IMPORT_PLUGINS });

export default prepareDataSource({
  databaseUrl: config.databaseUrl,
  entities: [...coreEntities, ...registry.entities()],
  migrations: [...coreMigrations, ...registry.migrations()],
}).catch((error: unknown) => {
  const where = config.databaseUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  console.error(`lms-import: cannot open the database ${where}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
