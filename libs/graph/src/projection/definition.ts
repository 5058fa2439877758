import { createHash } from 'node:crypto';
import { EVENT_TYPES } from '@app/domain';
import { derivedStatement } from './derived';
import { projectionStatement } from './handlers';

/**
 * A fingerprint of what the projection writes: every projection and derived statement, by event
 * type. The checkpoint keeps the fingerprint of the definition that built its graph (set when the
 * projection starts from nothing or is rebuilt); a projector of another definition refuses to add
 * to that graph, because the facts it would leave out or compute differently (new derived
 * properties, say) exist only after a rebuild (`catalyst projections rebuild`).
 */
export const PROJECTION_DEFINITION = createHash('sha256')
  .update(EVENT_TYPES.map((type) => `${type}\n${projectionStatement(type)}\n${derivedStatement(type) ?? ''}`).join('\n\n'))
  .digest('hex')
  .slice(0, 16);
