import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { Authenticator } from '../auth/authenticator';
import type { Principal } from '../auth/principal';
import type { RequestContext } from '../commands/command.service';

export interface GraphQLContext {
  req?: Request;
  /** The WebSocket of a graphql-ws subscription (to watch how much it has not yet sent). */
  socket?: { bufferedAmount: number };
  request: RequestContext;
  /** Who is calling (auth/authenticator.ts); its id is the `actor` of every event the request appends. */
  principal: Principal;
}

/** What graphql-ws hands the context: `extra.principal` is set when the connection is accepted (onConnect). */
interface WsExtra {
  socket?: { bufferedAmount: number };
  request?: Request;
  principal?: Principal;
}

const header = (req: Request | undefined, name: string): string | undefined => {
  const value = req?.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * HTTP requests bring `req` (authenticated here: a refused credential is UNAUTHENTICATED, status 401);
 * graphql-ws connections bring `extra.socket`, `extra.request` and the principal of the connection.
 */
export function createContextBuilder(authenticator: Authenticator) {
  return async ({ req, extra }: { req?: Request; extra?: WsExtra }): Promise<GraphQLContext> => {
    const principal = extra?.principal ?? (await authenticator.authenticate(Authenticator.credentialFrom((req ?? extra?.request)?.headers)));
    return buildContext({ req, extra }, principal);
  };
}

export function buildContext({ req, extra }: { req?: Request; extra?: WsExtra }, principal: Principal): GraphQLContext {
  req ??= extra?.request;
  return {
    req,
    socket: extra?.socket,
    principal,
    request: {
      idempotencyKey: header(req, 'idempotency-key'),
      correlationId: header(req, 'x-correlation-id') ?? randomUUID(),
      actor: principal.id,
    },
  };
}
