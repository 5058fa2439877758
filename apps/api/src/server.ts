import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { json } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { Projector } from '@app/graph';
import { NestPinoLogger, openInfrastructure, projectorOptions, type Config, type Infrastructure } from '@app/runtime';
import { AppModule } from './app.module';
import { Authenticator } from './auth/authenticator';
import { batchLimit } from './auth/batch-limit';
import { installGraphiql } from './ide/graphiql';
import { installWebUi } from './web/web-ui';
import { CheckpointProjectionStatus, EmbeddedProjectionStatus, type ProjectionStatus } from './projection/projection-status';

/** body-parser's `verify` hook: the bytes as received, before JSON parsing (`RawBodyRequest.rawBody`). */
function keepRawBody(req: IncomingMessage & { rawBody?: Buffer }, _res: unknown, body: Buffer): void {
  req.rawBody = body;
}

export interface RunningServer {
  url: string;
  app: NestExpressApplication;
  infrastructure: Infrastructure;
  projector: Projector | null;
  close(): Promise<void>;
}

/**
 * The composition root: adapters first (event store, Neo4j, projector), then the Nest app.
 * Closing runs in reverse: stop taking requests, stop projecting, close the log and Neo4j.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  // Refuses production without authentication, and development mode off localhost, before opening anything.
  const authenticator = Authenticator.start(config, logger.child({ component: 'auth' }));
  const infrastructure = await openInfrastructure(config, logger).catch((error: unknown) => {
    authenticator.close();
    throw error;
  });
  let projector: Projector | null = null;
  let app: NestExpressApplication | null = null;
  try {
    let projectionStatus: ProjectionStatus;
    if (config.projection.mode === 'embedded') {
      projector = new Projector(infrastructure.driver, infrastructure.store, projectorOptions(config, logger.child({ component: 'projector' })));
      await projector.start();
      projectionStatus = new EmbeddedProjectionStatus(projector);
    } else {
      projectionStatus = new CheckpointProjectionStatus(infrastructure.driver, config.projection.name, config.neo4j.database);
    }

    app = await NestFactory.create<NestExpressApplication>(
      AppModule.register({ config, logger, store: infrastructure.store, driver: infrastructure.driver, projectionStatus, authenticator }),
      { logger: new NestPinoLogger(logger.child({ component: 'nest' })), bufferLogs: false, bodyParser: false },
    );
    const http = app.getHttpAdapter().getInstance();
    // Webhook signatures are computed over the exact bytes received (apps/api/src/webhooks): those
    // routes, and only those, keep them as `rawBody` (GraphQL requests are not copied twice).
    http.use('/webhooks', json({ limit: config.maxRequestBytes, verify: keepRawBody }));
    // importEvents takes up to 10,000 events in one request: room for that, and no more.
    app.useBodyParser('json', { limit: config.maxRequestBytes });
    // A GraphQL response is computed per request (and per caller): an ETag (a SHA-1 of every body) buys nothing.
    http.set('etag', false);
    app.use('/graphql', batchLimit(config.limits.maxBatch));
    // The IDE is off in production unless GRAPHQL_IDE=true.
    if (config.graphqlIde) installGraphiql(http);
    // The web page at / (apps/web): a client of /graphql like any other.
    installWebUi(http);
    http.disable('x-powered-by');
    // Node closes an idle kept-alive connection after 5 s, before a load balancer's idle timeout
    // (AWS ALB: 60 s), which may reuse it just as it closes: ECONNRESET, a 502. The balancer must be
    // the one to close it (HTTP_KEEP_ALIVE_TIMEOUT_MS, above its timeout); headersTimeout stays above
    // keepAliveTimeout so that a reused connection's next request is not cut. Set before listening.
    const server = app.getHttpServer();
    server.keepAliveTimeout = config.httpKeepAliveTimeoutMs;
    server.headersTimeout = config.httpKeepAliveTimeoutMs + 1000;
    await app.listen(config.port, config.host);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
    const url = `http://${host}:${port}/graphql`;
    const started = app;
    let closing: Promise<void> | null = null;
    return {
      url,
      app: started,
      infrastructure,
      projector,
      close() {
        closing ??= (async () => {
          await started.close();
          await projector?.stop();
          await infrastructure.close();
          authenticator.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await projector?.stop().catch(() => undefined);
    await infrastructure.close().catch(() => undefined);
    authenticator.close();
    throw error;
  }
}
