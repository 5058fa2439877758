import { randomUUID } from 'node:crypto';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { DomainError, UpcastError, ValidationFailed } from '@app/domain';
import { ConcurrencyConflict, WrongExpectedRevision } from '@app/event-store';
import { CypherSandboxError } from '@app/graph/cypher-sandbox';

/** Error codes of API.md, plus the operational ones this server adds. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'PROJECTION_BEHIND'
  | 'INTERNAL_SERVER_ERROR';

export function apiError(code: ErrorCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details } });
}

/** The one place where errors become what a client sees. Unknown errors are logged, never shown. */
export function toClientError(error: unknown, logger: Logger): { message: string; extensions: Record<string, unknown> } {
  if (error instanceof ValidationFailed) {
    return { message: error.message, extensions: { code: 'BAD_USER_INPUT', fieldErrors: error.fieldErrors } };
  }
  if (error instanceof DomainError) {
    const code: ErrorCode = error.code === 'NOT_FOUND' ? 'NOT_FOUND' : error.code === 'INVALID' ? 'BAD_USER_INPUT' : 'CONFLICT';
    return { message: error.message, extensions: { code, ...error.details } };
  }
  if (error instanceof UpcastError) {
    logger.error({ err: error, position: error.event.position, type: error.event.type }, 'stored event cannot be upcast');
    return {
      message: error.message,
      extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'UPCAST_FAILED', position: error.event.position, type: error.event.type },
    };
  }
  if (error instanceof ConcurrencyConflict) {
    return {
      message: error.message,
      extensions: {
        code: 'CONFLICT',
        rule: 'expectedRevision',
        streamId: error.streamId,
        expectedRevision: error.expectedRevision,
        actualRevision: error.actualRevision,
      },
    };
  }
  if (error instanceof CypherSandboxError) {
    return { message: error.message, extensions: { code: error.code, rule: error.rule, ...error.details } };
  }
  if (error instanceof WrongExpectedRevision) {
    return { message: error.message, extensions: { code: 'CONFLICT', streamId: error.streamId, actualRevision: error.actual } };
  }
  if (error instanceof GraphQLError && typeof error.extensions.code === 'string' && error.extensions.code !== 'INTERNAL_SERVER_ERROR') {
    // `http` (status, headers) is for Apollo's response, not for the client's error.
    const { stacktrace: _omit, http: _http, ...extensions } = error.extensions as Record<string, unknown>;
    return { message: error.message, extensions };
  }
  const reference = randomUUID();
  logger.error({ err: error, reference }, 'unexpected error while serving a request');
  return { message: `Internal error (reference ${reference})`, extensions: { code: 'INTERNAL_SERVER_ERROR', reference } };
}

export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    // Errors GraphQL itself raised (parse, validation, variable coercion) already read well.
    if (original === error && error instanceof GraphQLError && !error.originalError) {
      const { stacktrace: _omit, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions };
    }
    const { message, extensions } = toClientError(original, logger);
    return { message, locations: formatted.locations, path: formatted.path, extensions };
  };
}
