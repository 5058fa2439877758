import type { EventType } from '@app/domain';
import { AT, addTime, closeAt, insertIntoChain, ref } from './cypher';

type OrgEventType = Extract<
  EventType,
  | 'PersonRegistered'
  | 'PersonUpdated'
  | 'TeamFormed'
  | 'TeamRenamed'
  | 'TeamReparented'
  | 'TeamDissolved'
  | 'TeamMemberAdded'
  | 'TeamMemberRemoved'
  | 'ServiceRegistered'
  | 'ServiceOwnershipAssigned'
  | 'ServiceDependencyAdded'
  | 'ServiceDependencyRemoved'
  | 'ServiceRetired'
  | 'OnCallShiftScheduled'
>;

/** Opens a person's time zone from `e` and makes `p.timeZone` the zone of the latest start. */
const timeZoneFrom = (zoneExpr: string) => `
    MERGE (z:TimeZone {name: ${zoneExpr}})
    MERGE (p)-[r:IN_TIME_ZONE {eventId: e.id}]->(z) ON CREATE SET r.since = ${AT}, r.revision = e.revision
    ${insertIntoChain({ rel: 'r', scope: 'p', siblings: '(p)-[x:IN_TIME_ZONE]->(:TimeZone)' })}
    WITH p
    SET p.timeZone = head(COLLECT { MATCH (p)-[x:IN_TIME_ZONE]->(zone:TimeZone) RETURN zone.name ORDER BY x.since DESC, x.revision DESC LIMIT 1 })`;

/**
 * A team's parent from `e.data.parentTeamId`: one parent at a time, ended by the next one, by
 * moving to the top level, and by the dissolution of either team.
 */
const parentFrom = `
    MERGE (parent:Team {id: e.data.parentTeamId}) ON CREATE SET parent.placeholder = true
    MERGE (t)-[r:CHILD_OF {eventId: e.id}]->(parent) ON CREATE SET r.since = ${AT}, r.revision = e.revision
    ${insertIntoChain({
      rel: 'r',
      scope: 't, parent',
      siblings: '(t)-[x:CHILD_OF]->(:Team)',
      closers: ['t.dissolvedAt', 'parent.dissolvedAt'],
      closerLists: ['coalesce(t.detachedAt, [])'],
    })}`;

export const ORG_PROJECTION: Record<OrgEventType, string> = {
  PersonRegistered: `
    MERGE (p:Person {id: e.data.personId})
    SET p.name = e.data.name, p.email = e.data.email, p.registeredAt = ${AT}, p.placeholder = false
    WITH p, e
    ${timeZoneFrom('e.data.timeZone')}`,

  PersonUpdated: `
    ${ref('p', 'Person', 'e.data.personId')}
    SET p.name = coalesce(e.data.name, p.name), p.email = coalesce(e.data.email, p.email)
    WITH p, e
    WHERE e.data.timeZone IS NOT NULL
    ${timeZoneFrom('e.data.timeZone')}`,

  TeamFormed: `
    MERGE (t:Team {id: e.data.teamId})
    SET t.name = e.data.name, t.formedAt = ${AT}, t.placeholder = false
    WITH t, e
    WHERE e.data.parentTeamId IS NOT NULL
    ${parentFrom}`,

  TeamRenamed: `
    ${ref('t', 'Team', 'e.data.teamId')}
    SET t.name = e.data.name`,

  TeamReparented: `
    ${ref('t', 'Team', 'e.data.teamId')}
    FOREACH (_ IN CASE WHEN e.data.parentTeamId IS NULL THEN [1] ELSE [] END | ${addTime('t.detachedAt', AT)})
    WITH t, e
    ${closeAt('t, e', '(t)-[x:CHILD_OF]->(:Team)', AT, 'e.data.parentTeamId IS NULL')}
    WITH t, e
    WHERE e.data.parentTeamId IS NOT NULL
    ${parentFrom}`,

  // A dissolved team has no members, no parent, no children and owns nothing from then on.
  TeamDissolved: `
    ${ref('t', 'Team', 'e.data.teamId')}
    SET t.dissolvedAt = ${AT}
    WITH t, e
    ${closeAt('t, e', '(:Person)-[x:MEMBER_OF]->(t)', 't.dissolvedAt')}
    ${closeAt('t, e', '(t)-[x:CHILD_OF]-(:Team)', 't.dissolvedAt')}
    ${closeAt('t, e', '(t)-[x:OWNS]->(:Service)', 't.dissolvedAt')}`,

  // Membership of one person in one team: a chain of stints; a removal leaves no trace of its
  // own, so a stint inserted before it later takes over its end (every end applies to the whole chain).
  TeamMemberAdded: `
    ${ref('t', 'Team', 'e.data.teamId')}
    ${ref('p', 'Person', 'e.data.personId')}
    MERGE (p)-[r:MEMBER_OF {eventId: e.id}]->(t)
    ON CREATE SET r.since = ${AT}, r.revision = e.revision, r.role = coalesce(e.data.role, 'member')
    ${insertIntoChain({ rel: 'r', scope: 'p, t', siblings: '(p)-[x:MEMBER_OF]->(t)', closers: ['t.dissolvedAt'], inheritEnd: true })}`,

  TeamMemberRemoved: `
    MATCH (p:Person {id: e.data.personId}), (t:Team {id: e.data.teamId})
    ${closeAt('p, t, e', '(p)-[x:MEMBER_OF]->(t)', AT)}`,

  ServiceRegistered: `
    MERGE (s:Service {id: e.data.serviceId})
    SET s.name = e.data.name, s.tier = e.data.tier, s.registeredAt = ${AT}, s.placeholder = false`,

  // One owner at a time, by business time: an assignment imported out of order lands in its place.
  ServiceOwnershipAssigned: `
    ${ref('s', 'Service', 'e.data.serviceId')}
    ${ref('t', 'Team', 'e.data.teamId')}
    MERGE (t)-[r:OWNS {eventId: e.id}]->(s) ON CREATE SET r.since = ${AT}, r.revision = e.revision
    ${insertIntoChain({ rel: 'r', scope: 's, t', siblings: '(:Team)-[x:OWNS]->(s)', closers: ['s.retiredAt', 't.dissolvedAt'] })}`,

  ServiceDependencyAdded: `
    ${ref('s', 'Service', 'e.data.serviceId')}
    ${ref('d', 'Service', 'e.data.dependsOnServiceId')}
    MERGE (s)-[r:DEPENDS_ON {eventId: e.id}]->(d) ON CREATE SET r.since = ${AT}, r.revision = e.revision
    ${insertIntoChain({ rel: 'r', scope: 's, d', siblings: '(s)-[x:DEPENDS_ON]->(d)', inheritEnd: true })}`,

  ServiceDependencyRemoved: `
    MATCH (s:Service {id: e.data.serviceId}), (d:Service {id: e.data.dependsOnServiceId})
    ${closeAt('s, d, e', '(s)-[x:DEPENDS_ON]->(d)', AT)}`,

  ServiceRetired: `
    ${ref('s', 'Service', 'e.data.serviceId')}
    SET s.retiredAt = ${AT}
    WITH s, e
    ${closeAt('s, e', '(:Team)-[x:OWNS]->(s)', 's.retiredAt')}`,

  OnCallShiftScheduled: `
    ${ref('t', 'Team', 'e.data.teamId')}
    ${ref('p', 'Person', 'e.data.personId')}
    MERGE (p)-[r:ON_CALL {shiftId: e.data.shiftId, teamId: e.data.teamId}]->(t)
    SET r.startsAt = datetime(e.data.startsAt), r.endsAt = datetime(e.data.endsAt), r.scheduledAt = ${AT}, r.eventId = e.id`,
};
