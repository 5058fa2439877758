import type { EventType } from '@app/domain';
import { INCIDENT_PROJECTION } from './incident-handlers';
import { ORG_PROJECTION } from './org-handlers';

/**
 * One Cypher body per event type (docs/graph-model.md says what each one writes). applyEvents runs
 * a run of events of one type (runsOfType) as `UNWIND $events AS e CALL (e) { <body> }`, binding
 * `e.id` (event id), `e.revision` (its revision in its stream), `e.position` and `e.data`.
 *
 * Referenced ids that were never registered become placeholders (`placeholder: true`); the
 * registration completes the same node in place. Temporal relationships carry `since`/`until`,
 * are ordered by business time whatever the order of projection, and are closed, never overwritten.
 */
export const PROJECTION: Record<EventType, string> = { ...ORG_PROJECTION, ...INCIDENT_PROJECTION };

/** The statement that projects a run of events of one type. */
export function projectionStatement(type: EventType): string {
  return `UNWIND $events AS e CALL (e) { ${PROJECTION[type]} }`;
}
