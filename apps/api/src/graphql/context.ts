import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { RequestContext } from '../commands/command.service';

export interface GraphQLContext {
  req?: Request;
  request: RequestContext;
}

const header = (req: Request | undefined, name: string): string | undefined => {
  const value = req?.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function buildContext({ req }: { req?: Request }): GraphQLContext {
  return {
    req,
    request: {
      idempotencyKey: header(req, 'idempotency-key'),
      correlationId: header(req, 'x-correlation-id') ?? randomUUID(),
      // Authentication replaces this with the principal; until then writes are anonymous.
      actor: 'anonymous',
    },
  };
}
