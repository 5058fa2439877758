import type { ApolloServerPlugin } from '@apollo/server';
import type { ProjectionStatus } from '../projection/projection-status';
import { apiError } from './errors';

const POSITION = /^\d{1,20}$/;

/**
 * Read-your-writes: a query sent with `X-Min-Position: <position>` is answered only once the
 * projection has reached that position; after `waitMs` it fails and says how far behind it is.
 */
export function minPositionPlugin(status: ProjectionStatus, waitMs: number): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const wanted = request.http?.headers.get('x-min-position');
      if (!wanted) return;
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'query') return;
          if (!POSITION.test(wanted)) {
            throw apiError('BAD_USER_INPUT', `X-Min-Position must be a decimal position, got "${wanted}"`, {
              fieldErrors: [{ field: 'X-Min-Position', rule: 'isPosition', message: 'must be a decimal position' }],
            });
          }
          if (await status.waitForPosition(wanted, waitMs)) return;
          const position = await status.position();
          throw apiError(
            'PROJECTION_BEHIND',
            `The graph is at position ${position}, behind the requested ${wanted}, after waiting ${waitMs} ms; retry later`,
            { position, minPosition: wanted, waitedMs: waitMs, http: { status: 503 } },
          );
        },
      };
    },
  };
}
