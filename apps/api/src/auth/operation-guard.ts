import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { apiError } from '../graphql/errors';
import { analyzeOperation, type QueryLimits } from '../graphql/limits';
import type { Principal } from './principal';
import { RateLimiter } from './rate-limit';
import { roleAllows } from './roles';

export interface OperationGuardOptions {
  limits: QueryLimits & { rateLimitPerMinute: number };
  introspection: boolean;
  /** Development mode has one principal and no rate limit. */
  rateLimited: boolean;
  logger: Logger;
}

/**
 * Everything checked before an operation runs, the same over HTTP (Apollo plugin) and graphql-ws
 * (onSubscribe): rate limit per principal, introspection switch, depth/alias/cost limits, and the
 * role every selected field declares (@RequireRole). Refusals are GraphQL errors with their code.
 */
export class OperationGuard {
  private readonly limiter: RateLimiter;

  constructor(private readonly options: OperationGuardOptions) {
    this.limiter = new RateLimiter(options.rateLimited ? options.limits.rateLimitPerMinute : 0);
  }

  check(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | null | undefined,
    principal: Principal,
  ): void {
    const taken = this.limiter.take(principal.id);
    if (!taken.allowed) {
      const retryAfterSeconds = Math.ceil(taken.retryAfterMs / 1000);
      throw apiError('RATE_LIMITED', `Rate limit of ${this.options.limits.rateLimitPerMinute} requests per minute reached; retry after ${retryAfterSeconds} s`, {
        retryAfterSeconds,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
      });
    }
    const analysis = analyzeOperation(schema, document, operationName, variables, this.options.limits);
    if (!analysis) return; // GraphQL itself reports the missing operation
    if (analysis.introspection && !this.options.introspection) {
      throw apiError('FORBIDDEN', 'Introspection is disabled on this server (GRAPHQL_INTROSPECTION=false)', { rule: 'introspection' });
    }
    const refused = analysis.requirements.filter((r) => !roleAllows(principal.role, r.role));
    if (refused.length > 0) {
      const first = refused[0];
      this.options.logger.info({ principal: principal.id, role: principal.role, refused: refused.map((r) => r.field) }, 'operation refused: role');
      throw apiError(
        'FORBIDDEN',
        first.declared
          ? `${first.field} requires role ${first.role}; ${principal.id} has role ${principal.role}`
          : `${first.field} declares no role (@RequireRole), so only admin may use it; ${principal.id} has role ${principal.role}`,
        { field: first.field, requiredRole: first.role, role: principal.role },
      );
    }
  }

  /** For HTTP: runs once the operation is parsed and validated, before anything executes. */
  plugin(): ApolloServerPlugin<{ principal: Principal }> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ schema, document, operationName, request, contextValue }) => {
          this.check(schema, document, operationName, request.variables, contextValue.principal);
        },
      }),
    };
  }
}
