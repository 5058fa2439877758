import { GraphQLError, parse, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import type { Context, SubscribeMessage } from 'graphql-ws';
import type { Logger } from 'pino';
import { Authenticator } from './authenticator';
import type { OperationGuard } from './operation-guard';
import type { Principal } from './principal';

type Extra = { request?: { headers?: Record<string, unknown> }; principal?: Principal };

/** The client-facing copy of an error: without the HTTP-only `http` extension. */
const forSocket = (error: GraphQLError) => {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return new GraphQLError(error.message, { nodes: error.nodes, extensions });
};

/**
 * graphql-ws hooks: a connection is accepted only with a valid credential in its connection
 * parameters (`authorization: "Bearer <JWT or API key>"`) or upgrade request headers; each
 * operation is parsed with the token limit, validated, and checked by the same OperationGuard as HTTP.
 */
export function graphqlWsAuth(options: {
  authenticator: Authenticator;
  guard: OperationGuard;
  schema: () => GraphQLSchema | undefined;
  maxTokens: number;
  logger: Logger;
}) {
  const { authenticator, guard, logger } = options;
  return {
    onConnect: async (ctx: Context<Record<string, unknown> | undefined, unknown>) => {
      const extra = ctx.extra as Extra;
      const credential = Authenticator.credentialFrom(ctx.connectionParams) ?? Authenticator.credentialFrom(extra.request?.headers);
      try {
        extra.principal = await authenticator.authenticate(credential);
        return true;
      } catch (error) {
        logger.info({ reason: error instanceof Error ? error.message : String(error) }, 'graphql-ws connection refused');
        return false;
      }
    },
    onSubscribe: async (ctx: Context<Record<string, unknown> | undefined, unknown>, _id: string, payload: SubscribeMessage['payload']) => {
      const schema = options.schema();
      const principal = (ctx.extra as Extra).principal;
      if (!schema || !principal) return [new GraphQLError('Not ready', { extensions: { code: 'UNAUTHENTICATED' } })];
      let document: DocumentNode;
      try {
        document = parse(payload.query, { maxTokens: options.maxTokens });
      } catch (error) {
        if (error instanceof GraphQLError) return [error];
        throw error;
      }
      const errors = validate(schema, document);
      if (errors.length > 0) return errors;
      try {
        guard.check(schema, document, payload.operationName, payload.variables, principal);
      } catch (error) {
        if (error instanceof GraphQLError) return [forSocket(error)];
        throw error;
      }
      const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      return args;
    },
  };
}
