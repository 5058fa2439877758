import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { RequestContext } from '../commands/command.service';

export interface GraphQLContext {
  req?: Request;
  /** The WebSocket of a graphql-ws subscription (to watch how much it has not yet sent). */
  socket?: { bufferedAmount: number };
  request: RequestContext;
}

const header = (req: Request | undefined, name: string): string | undefined => {
  const value = req?.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** HTTP requests bring `req`; graphql-ws connections bring `extra.socket` and `extra.request`. */
export function buildContext({ req, extra }: { req?: Request; extra?: { socket?: { bufferedAmount: number }; request?: Request } }): GraphQLContext {
  req ??= extra?.request;
  return {
    req,
    socket: extra?.socket,
    request: {
      idempotencyKey: header(req, 'idempotency-key'),
      correlationId: header(req, 'x-correlation-id') ?? randomUUID(),
      // Authentication replaces this with the principal; until then writes are anonymous.
      actor: 'anonymous',
    },
  };
}
