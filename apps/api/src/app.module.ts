import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import type { GraphQLSchema } from 'graphql';
import type { Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import type { EventStore } from '@app/event-store';
import type { Config } from '@app/runtime';
import { CommandService } from './commands/command.service';
import { ImportService } from './commands/import.service';
import { AnalyticsResolver } from './graphql/analytics.resolver';
import { CommandResolver } from './graphql/command.resolver';
import { createContextBuilder } from './graphql/context';
import { EntityResolver } from './graphql/entity.resolver';
import { EventsResolver } from './graphql/events.resolver';
import { SubscriptionResolver } from './graphql/subscription.resolver';
import { GraphQLPassThroughFilter } from './graphql/error.filter';
import { formatError } from './graphql/errors';
import { ImportResolver } from './graphql/import.resolver';
import { minPositionPlugin } from './graphql/min-position.plugin';
import { ProjectionResolver } from './graphql/projection.resolver';
import { HealthController } from './health.controller';
import { CypherResolver } from './graphql/cypher.resolver';
import { Authenticator } from './auth/authenticator';
import { graphqlWsAuth } from './auth/graphql-ws-auth';
import { OperationGuard } from './auth/operation-guard';
import { SchemasController } from './schemas.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import { StatementCounter } from './views/statement-counter';
import { buildViewsSchema, mergeViewsSchema } from './views/views-schema';
import type { ProjectionStatus } from './projection/projection-status';
import { createMetrics } from './observability/metrics';
import { CONFIG, EVENT_STORE, LOGGER, METRICS, NEO4J_DRIVER, PROJECTION_STATUS } from './tokens';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  store: EventStore;
  driver: Driver;
  projectionStatus: ProjectionStatus;
  /** Built by the composition root (it refuses unsafe configurations before anything opens). */
  authenticator: Authenticator;
}

/** The API's Nest module; adapters are built by the composition root and handed in. */
@Module({})
export class AppModule {
  static register(deps: AppDependencies): DynamicModule {
    const { config, authenticator } = deps;
    const guard = new OperationGuard({
      limits: config.limits,
      introspection: config.graphqlIntrospection,
      rateLimited: authenticator.mode === 'enforced',
      logger: deps.logger.child({ component: 'auth' }),
    });
    let schema: GraphQLSchema | undefined;
    // Counts the Cypher statements of the API's reads (tests assert batching with it; the projector keeps the raw driver).
    const statements = new StatementCounter();
    const driver = statements.wrap(deps.driver);
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
          introspection: config.graphqlIntrospection,
          csrfPrevention: true,
          parseOptions: { maxTokens: config.limits.maxTokens },
          allowBatchedHttpRequests: config.limits.maxBatch > 1,
          // Custom views: the generated read layer (views/) merged into the code-first schema.
          transformSchema: async (built: GraphQLSchema) =>
            (schema = mergeViewsSchema(
              built,
              await buildViewsSchema({ driver, database: config.neo4j.database, maxPageSize: config.views.maxPageSize, logger: deps.logger.child({ component: 'views' }) }),
            )),
          includeStacktraceInErrorResponses: false,
          context: createContextBuilder(authenticator),
          // Subscriptions over graphql-ws on the same path.
          subscriptions: {
            'graphql-ws': {
              path: '/graphql',
              ...graphqlWsAuth({ authenticator, guard, schema: () => schema, maxTokens: config.limits.maxTokens, logger: deps.logger.child({ component: 'auth' }) }),
            },
          },
          formatError: formatError(deps.logger),
          plugins: [guard.plugin(), minPositionPlugin(deps.projectionStatus, deps.config.minPositionWaitMs)],
        }),
      ],
      controllers: [HealthController, SchemasController, WebhooksController],
      providers: [
        { provide: APP_FILTER, useClass: GraphQLPassThroughFilter },
        { provide: CONFIG, useValue: deps.config },
        { provide: LOGGER, useValue: deps.logger },
        { provide: EVENT_STORE, useValue: deps.store },
        { provide: NEO4J_DRIVER, useValue: driver },
        { provide: StatementCounter, useValue: statements },
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
        CypherResolver,
        AnalyticsResolver,
      ],
    };
  }
}
