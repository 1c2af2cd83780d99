import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { coreEntities, coreMigrations, openDataSource } from '../db/data-source';
import { Store } from '../db/store';
import { parseRole } from './role';
import { TokenService } from './token-service';

const usage = `Usage:
  npm run token -- create --role admin|operator|viewer --name NAME
  npm run token -- list
  npm run token -- revoke ID`;

/** Manages API tokens from the command line, against the configured database; returns the exit code. */
export async function runTokenCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, argument] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const config = loadConfig(env);
  const store = new Store(
    await openDataSource({ databaseUrl: config.databaseUrl, entities: coreEntities, migrations: coreMigrations }),
  );
  const tokens = new TokenService(store);
  try {
    if (command === 'create') {
      const role = values.role ? parseRole(values.role) : undefined;
      if (!role || !values.name) {
        console.error(`create needs --role (admin, operator or viewer) and --name\n${usage}`);
        return 2;
      }
      const { token, secret } = await tokens.create(values.name, role);
      console.log(`Created token ${token.id} "${token.name}" (${token.role}). Its secret, shown only now:\n\n  ${secret}\n`);
      return 0;
    }
    if (command === 'list') {
      for (const t of await tokens.list()) {
        const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : 'active';
        const used = t.lastUsedAt ? `last used ${t.lastUsedAt.toISOString()}` : 'never used';
        console.log(`${t.id}\t${t.role}\t${t.name}\t${state}\t${used}`);
      }
      return 0;
    }
    if (command === 'revoke' && /^\d+$/.test(argument ?? '')) {
      const revoked = await tokens.revoke(Number(argument));
      console.log(revoked ? `Token ${argument} revoked` : `No active token ${argument}`);
      return revoked ? 0 : 1;
    }
    console.error(usage);
    return 2;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  runTokenCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
