import 'reflect-metadata';
import { createLogger, loadConfigOrExit } from '@app/runtime';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, 'catalyst-api');
  const server = await startServer(config, logger);
  const page = server.url.replace(/graphql$/, '');
  logger.info({ url: server.url, page, dataDir: config.dataDir, eventStore: config.eventStore }, `Catalyst is serving ${server.url} (web page: ${page})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await server.close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Catalyst failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
