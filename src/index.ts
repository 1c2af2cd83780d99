import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { startServer } from './server';

export { ADAPTER_API_VERSION, defineAdapter } from './adapters/define-adapter';
export type * from './adapters/define-adapter';
export * as fields from './adapters/fields';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const server = await startServer(config);
  if (server.createdAdminToken) {
    console.log(
      `\nFirst start: an admin token was created (also saved in ${config.dataDir}/admin-token):\n\n  ${server.createdAdminToken}\n`,
    );
  }
  if (config.PROCESS_ROLE === 'worker') console.log(`lms-import worker listening on ${server.url} (/healthz, /metrics)`);
  else {
    console.log(`lms-import listening on ${server.url}/graphql`);
    console.log(`web wizard: ${server.url}/ (sign in with a token)`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const { logger } = server.services;
    const timeoutMs = config.SHUTDOWN_TIMEOUT_MS;
    logger.info({ signal, timeoutMs }, 'stopping');
    if (await server.stop(timeoutMs)) process.exit(0);
    logger.error(
      { signal, timeoutMs },
      `stopped without waiting longer: the running batches did not end within SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms) and were rolled back; their jobs resume from their last checkpoint at the next start`,
    );
    process.exit(1);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
