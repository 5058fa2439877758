import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import type { Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import type { EventStore } from '@app/event-store';
import type { Config } from '@app/runtime';
import { CommandService } from './commands/command.service';
import { ImportService } from './commands/import.service';
import { AnalyticsResolver } from './graphql/analytics.resolver';
import { CommandResolver } from './graphql/command.resolver';
import { buildContext } from './graphql/context';
import { EntityResolver } from './graphql/entity.resolver';
import { EventsResolver } from './graphql/events.resolver';
import { SubscriptionResolver } from './graphql/subscription.resolver';
import { GraphQLPassThroughFilter } from './graphql/error.filter';
import { formatError } from './graphql/errors';
import { ImportResolver } from './graphql/import.resolver';
import { minPositionPlugin } from './graphql/min-position.plugin';
import { ProjectionResolver } from './graphql/projection.resolver';
import { HealthController } from './health.controller';
import { SchemasController } from './schemas.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import type { ProjectionStatus } from './projection/projection-status';
import { createMetrics } from './observability/metrics';
import { CONFIG, EVENT_STORE, LOGGER, METRICS, NEO4J_DRIVER, PROJECTION_STATUS } from './tokens';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  store: EventStore;
  driver: Driver;
  projectionStatus: ProjectionStatus;
}

/** The API's Nest module; adapters are built by the composition root and handed in. */
@Module({})
export class AppModule {
  static register(deps: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          playground: false,
          introspection: true,
          includeStacktraceInErrorResponses: false,
          context: buildContext,
          // Subscriptions over graphql-ws on the same path.
          subscriptions: { 'graphql-ws': { path: '/graphql' } },
          formatError: formatError(deps.logger),
          plugins: [minPositionPlugin(deps.projectionStatus, deps.config.minPositionWaitMs)],
        }),
      ],
      controllers: [HealthController, SchemasController, WebhooksController],
      providers: [
        { provide: APP_FILTER, useClass: GraphQLPassThroughFilter },
        { provide: CONFIG, useValue: deps.config },
        { provide: LOGGER, useValue: deps.logger },
        { provide: EVENT_STORE, useValue: deps.store },
        { provide: NEO4J_DRIVER, useValue: deps.driver },
        { provide: PROJECTION_STATUS, useValue: deps.projectionStatus },
        { provide: METRICS, useValue: createMetrics(deps.projectionStatus, deps.store) },
        CommandService,
        CommandResolver,
        EntityResolver,
        ImportService,
        ImportResolver,
        EventsResolver,
        SubscriptionResolver,
        ProjectionResolver,
        AnalyticsResolver,
      ],
    };
  }
}
