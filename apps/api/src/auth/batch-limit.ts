import type { NextFunction, Request, Response } from 'express';
import { apiError } from '../graphql/errors';

/** Batched HTTP requests (a JSON array of operations) of more than `maxBatch` operations are refused whole. */
export function batchLimit(maxBatch: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const body: unknown = req.body;
    if (Array.isArray(body) && body.length > maxBatch) {
      const error = apiError('TOO_COMPLEX', `Batch of ${body.length} operations refused: at most ${maxBatch} per request (MAX_BATCH)`, {
        limit: 'batch',
        max: maxBatch,
      });
      res.status(400).json({ errors: [error.toJSON()] });
      return;
    }
    next();
  };
}
