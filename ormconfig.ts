import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AdapterRegistry } from './src/adapters/registry';
import { loadConfig } from './src/config/config';
import { coreEntities, coreMigrations, dataSourceOptions } from './src/db/data-source';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:show`, `npm run migration:run`):
 * the same configuration and the same entities and migrations as the service, plugins included.
 * The service itself applies pending migrations at start-up.
 */
const config = loadConfig();
const registry = AdapterRegistry.load({ extra: config.LMS_IMPORT_PLUGINS });

export default new DataSource(
  dataSourceOptions({
    databaseUrl: config.databaseUrl,
    entities: [...coreEntities, ...registry.entities()],
    migrations: [...coreMigrations, ...registry.migrations()],
  }),
);
