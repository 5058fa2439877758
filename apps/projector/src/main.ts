import 'reflect-metadata';
import { Projector } from '@app/graph';
import { createLogger, loadConfigOrExit, openInfrastructure, projectorOptions } from '@app/runtime';

/**
 * The projector as its own process (production topology): one active projector per projection,
 * restartable from its checkpoint. The API then runs with PROJECTOR=external.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, 'catalyst-projector');
  const infrastructure = await openInfrastructure(config, logger);
  const projector = new Projector(infrastructure.driver, infrastructure.store, projectorOptions(config, logger));
  await projector.start();

  const report = setInterval(() => {
    void infrastructure.store.headPosition().then((head) => {
      logger.info(
        { projection: config.projection.name, position: projector.position, headPosition: head, lag: (BigInt(head) - BigInt(projector.position)).toString() },
        'projection progress',
      );
    });
  }, 10_000);
  report.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'projector shutting down');
    clearInterval(report);
    await projector.stop();
    await infrastructure.close();
    process.exit(0);
  };
  projector.on('failed', () => {
    void infrastructure.close().finally(() => process.exit(1));
  });
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Catalyst projector failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
