import type { EventType } from '@app/domain';

/**
 * One Cypher statement per event type, run once per run of consecutive events of that type:
 * `UNWIND $events AS e` binds `e.id` (event id), `e.data` (payload) and `e.position`.
 * Labels and relationship types are fixed text; every value is a parameter.
 *
 * Referenced ids that were never registered become placeholders (`placeholder: true`); the
 * registration completes the same node in place. Temporal relationships get `since`/`until`
 * and are closed, never overwritten.
 */
const at = 'datetime(e.data.occurredAt)';

/** MERGE a node by id, marking it a placeholder when this creates it. */
const ref = (variable: string, label: string, idExpr: string) =>
  `MERGE (${variable}:${label} {id: ${idExpr}}) ON CREATE SET ${variable}.placeholder = true`;

/** Runs `body` for an optional id, binding it as `x`. */
const optional = (idExpr: string, body: string) =>
  `FOREACH (x IN CASE WHEN ${idExpr} IS NULL THEN [] ELSE [${idExpr}] END | ${body})`;

export const PROJECTION: Record<EventType, string> = {
  PersonRegistered: `
    MERGE (p:Person {id: e.data.personId})
    SET p.name = e.data.name, p.email = e.data.email, p.timeZone = e.data.timeZone,
        p.registeredAt = ${at}, p.placeholder = false
    MERGE (z:TimeZone {name: e.data.timeZone})
    MERGE (p)-[r:IN_TIME_ZONE {eventId: e.id}]->(z) ON CREATE SET r.since = ${at}`,

  PersonUpdated: `
    ${ref('p', 'Person', 'e.data.personId')}
    SET p.name = coalesce(e.data.name, p.name), p.email = coalesce(e.data.email, p.email),
        p.timeZone = coalesce(e.data.timeZone, p.timeZone)
    WITH p, e
    WHERE e.data.timeZone IS NOT NULL
    OPTIONAL MATCH (p)-[old:IN_TIME_ZONE]->() WHERE old.until IS NULL AND old.eventId <> e.id
    SET old.until = ${at}
    WITH DISTINCT p, e
    MERGE (z:TimeZone {name: e.data.timeZone})
    MERGE (p)-[r:IN_TIME_ZONE {eventId: e.id}]->(z) ON CREATE SET r.since = ${at}`,

  TeamFormed: `
    MERGE (t:Team {id: e.data.teamId})
    SET t.name = e.data.name, t.formedAt = ${at}, t.placeholder = false
    WITH t, e
    ${optional('e.data.parentTeamId', `MERGE (parent:Team {id: x}) ON CREATE SET parent.placeholder = true
      MERGE (t)-[r:CHILD_OF {eventId: e.id}]->(parent) ON CREATE SET r.since = ${at}`)}`,

  TeamRenamed: `
    ${ref('t', 'Team', 'e.data.teamId')}
    SET t.name = e.data.name`,

  TeamReparented: `
    ${ref('t', 'Team', 'e.data.teamId')}
    WITH t, e
    OPTIONAL MATCH (t)-[old:CHILD_OF]->() WHERE old.until IS NULL AND old.eventId <> e.id
    SET old.until = ${at}
    WITH DISTINCT t, e
    ${optional('e.data.parentTeamId', `MERGE (parent:Team {id: x}) ON CREATE SET parent.placeholder = true
      MERGE (t)-[r:CHILD_OF {eventId: e.id}]->(parent) ON CREATE SET r.since = ${at}`)}`,

  TeamDissolved: `
    ${ref('t', 'Team', 'e.data.teamId')}
    SET t.dissolvedAt = ${at}
    WITH t, e
    OPTIONAL MATCH (t)-[r:CHILD_OF|OWNS]-() WHERE r.until IS NULL
    SET r.until = ${at}
    WITH DISTINCT t, e
    OPTIONAL MATCH (:Person)-[m:MEMBER_OF]->(t) WHERE m.until IS NULL
    SET m.until = ${at}`,

  TeamMemberAdded: `
    ${ref('t', 'Team', 'e.data.teamId')}
    ${ref('p', 'Person', 'e.data.personId')}
    MERGE (p)-[m:MEMBER_OF {eventId: e.id}]->(t)
    ON CREATE SET m.since = ${at}, m.role = coalesce(e.data.role, 'member')`,

  TeamMemberRemoved: `
    MATCH (p:Person {id: e.data.personId})-[m:MEMBER_OF]->(t:Team {id: e.data.teamId})
    WHERE m.until IS NULL AND m.since <= ${at}
    SET m.until = ${at}`,

  ServiceRegistered: `
    MERGE (s:Service {id: e.data.serviceId})
    SET s.name = e.data.name, s.tier = e.data.tier, s.registeredAt = ${at}, s.placeholder = false`,

  ServiceOwnershipAssigned: `
    ${ref('s', 'Service', 'e.data.serviceId')}
    ${ref('t', 'Team', 'e.data.teamId')}
    WITH s, t, e
    OPTIONAL MATCH (:Team)-[old:OWNS]->(s) WHERE old.until IS NULL AND old.eventId <> e.id AND old.since <= ${at}
    SET old.until = ${at}
    WITH DISTINCT s, t, e
    MERGE (t)-[o:OWNS {eventId: e.id}]->(s) ON CREATE SET o.since = ${at}`,

  ServiceDependencyAdded: `
    ${ref('s', 'Service', 'e.data.serviceId')}
    ${ref('d', 'Service', 'e.data.dependsOnServiceId')}
    MERGE (s)-[r:DEPENDS_ON {eventId: e.id}]->(d) ON CREATE SET r.since = ${at}`,

  ServiceDependencyRemoved: `
    MATCH (:Service {id: e.data.serviceId})-[r:DEPENDS_ON]->(:Service {id: e.data.dependsOnServiceId})
    WHERE r.until IS NULL
    SET r.until = ${at}`,

  ServiceRetired: `
    ${ref('s', 'Service', 'e.data.serviceId')}
    SET s.retiredAt = ${at}
    WITH s, e
    OPTIONAL MATCH (:Team)-[o:OWNS]->(s) WHERE o.until IS NULL
    SET o.until = ${at}`,

  OnCallShiftScheduled: `
    ${ref('t', 'Team', 'e.data.teamId')}
    ${ref('p', 'Person', 'e.data.personId')}
    MERGE (p)-[r:ON_CALL {shiftId: e.data.shiftId, teamId: e.data.teamId}]->(t)
    SET r.startsAt = datetime(e.data.startsAt), r.endsAt = datetime(e.data.endsAt), r.scheduledAt = ${at}`,

  IncidentDeclared: `
    MERGE (i:Incident {id: e.data.incidentId})
    SET i.title = e.data.title, i.severity = e.data.severity, i.summary = e.data.summary,
        i.declaredAt = ${at}, i.status = coalesce(i.status, 'active'), i.placeholder = false
    WITH i, e
    ${optional('e.data.declaredBy', `MERGE (p:Person {id: x}) ON CREATE SET p.placeholder = true
      MERGE (p)-[:DECLARED]->(i)`)}
    FOREACH (sid IN coalesce(e.data.impactedServiceIds, []) |
      MERGE (s:Service {id: sid}) ON CREATE SET s.placeholder = true
      MERGE (i)-[r:IMPACTED]->(s) ON CREATE SET r.since = ${at})`,

  IncidentSeverityChanged: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    SET i.severity = e.data.severity`,

  ServiceImpacted: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    ${ref('s', 'Service', 'e.data.serviceId')}
    MERGE (i)-[r:IMPACTED]->(s) ON CREATE SET r.since = ${at}`,

  ResponderPaged: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    ${ref('p', 'Person', 'e.data.personId')}
    MERGE (p)-[r:PAGED {eventId: e.id}]->(i)
    ON CREATE SET r.at = ${at}, r.escalatedFromPersonId = e.data.escalatedFromPersonId`,

  ResponderAcknowledged: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    ${ref('p', 'Person', 'e.data.personId')}
    MERGE (p)-[r:ACKNOWLEDGED {eventId: e.id}]->(i) ON CREATE SET r.at = ${at}`,

  ResponderJoined: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    ${ref('p', 'Person', 'e.data.personId')}
    MERGE (p)-[r:RESPONDED_TO {eventId: e.id}]->(i) ON CREATE SET r.role = e.data.role, r.joinedAt = ${at}
    WITH p, i, e
    WHERE e.data.role = 'commander'
    MERGE (p)-[c:COMMANDED {eventId: e.id}]->(i) ON CREATE SET c.since = ${at}`,

  ResponderLeft: `
    MATCH (p:Person {id: e.data.personId})-[r:RESPONDED_TO]->(i:Incident {id: e.data.incidentId})
    WHERE r.leftAt IS NULL
    SET r.leftAt = ${at}
    WITH p, i, e
    OPTIONAL MATCH (p)-[c:COMMANDED]->(i) WHERE c.until IS NULL
    SET c.until = ${at}`,

  CommandHandedOff: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    ${ref('from', 'Person', 'e.data.fromPersonId')}
    ${ref('to', 'Person', 'e.data.toPersonId')}
    WITH i, from, to, e
    OPTIONAL MATCH (from)-[old:COMMANDED]->(i) WHERE old.until IS NULL
    SET old.until = ${at}
    WITH DISTINCT i, from, to, e
    MERGE (to)-[c:COMMANDED {eventId: e.id}]->(i) ON CREATE SET c.since = ${at}
    MERGE (from)-[h:HANDED_OFF_TO {eventId: e.id}]->(to) ON CREATE SET h.incidentId = e.data.incidentId, h.at = ${at}`,

  TimelineNoteAdded: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    MERGE (n:TimelineNote {key: e.data.incidentId + '/' + e.data.noteId})
    SET n.noteId = e.data.noteId, n.incidentId = e.data.incidentId, n.text = e.data.text, n.at = ${at}
    MERGE (i)-[:HAS_NOTE]->(n)
    WITH n, e
    ${optional('e.data.authorId', `MERGE (p:Person {id: x}) ON CREATE SET p.placeholder = true
      MERGE (p)-[:WROTE]->(n)`)}`,

  ContributingFactorIdentified: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    MERGE (f:ContributingFactor {key: e.data.incidentId + '/' + e.data.factorId})
    SET f.factorId = e.data.factorId, f.incidentId = e.data.incidentId, f.description = e.data.description,
        f.category = e.data.category, f.identifiedAt = ${at}
    MERGE (i)-[:HAS_FACTOR]->(f)`,

  IncidentMitigated: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    SET i.mitigatedAt = ${at}
    WITH i, e
    ${optional('e.data.mitigatedBy', `MERGE (p:Person {id: x}) ON CREATE SET p.placeholder = true
      MERGE (p)-[:MITIGATED]->(i)`)}`,

  IncidentResolved: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    SET i.status = 'resolved', i.resolvedAt = ${at}
    WITH i, e
    ${optional('e.data.resolvedBy', `MERGE (p:Person {id: x}) ON CREATE SET p.placeholder = true
      MERGE (p)-[:RESOLVED]->(i)`)}`,

  IncidentReopened: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    SET i.status = 'active', i.resolvedAt = null, i.reopenedAt = ${at}, i.reopenCount = coalesce(i.reopenCount, 0) + 1`,

  ActionItemCreated: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    MERGE (a:ActionItem {key: e.data.incidentId + '/' + e.data.actionItemId})
    SET a.actionItemId = e.data.actionItemId, a.incidentId = e.data.incidentId, a.title = e.data.title,
        a.status = coalesce(a.status, 'open'), a.createdAt = ${at}, a.dueAt = datetime(e.data.dueAt)
    MERGE (i)-[:HAS_ACTION_ITEM]->(a)
    WITH a, e
    ${optional('e.data.ownerTeamId', `MERGE (t:Team {id: x}) ON CREATE SET t.placeholder = true
      MERGE (a)-[:OWNED_BY]->(t)`)}
    ${optional('e.data.ownerPersonId', `MERGE (p:Person {id: x}) ON CREATE SET p.placeholder = true
      MERGE (a)-[:ASSIGNED_TO]->(p)`)}`,

  ActionItemCompleted: `
    MERGE (a:ActionItem {key: e.data.incidentId + '/' + e.data.actionItemId})
    ON CREATE SET a.placeholder = true, a.actionItemId = e.data.actionItemId, a.incidentId = e.data.incidentId
    SET a.status = 'completed', a.completedAt = ${at}`,

  ActionItemCancelled: `
    MERGE (a:ActionItem {key: e.data.incidentId + '/' + e.data.actionItemId})
    ON CREATE SET a.placeholder = true, a.actionItemId = e.data.actionItemId, a.incidentId = e.data.incidentId
    SET a.status = 'cancelled', a.cancelledAt = ${at}, a.cancelReason = e.data.reason`,

  ReviewPublished: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    MERGE (r:Review {key: e.data.incidentId + '/' + e.data.reviewId})
    SET r.reviewId = e.data.reviewId, r.incidentId = e.data.incidentId, r.url = e.data.url, r.publishedAt = ${at}
    MERGE (i)-[:HAS_REVIEW]->(r)
    FOREACH (aid IN e.data.authorIds |
      MERGE (p:Person {id: aid}) ON CREATE SET p.placeholder = true
      MERGE (p)-[:AUTHORED]->(r))`,

  IncidentCostEstimated: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    SET i.costAmount = e.data.amount, i.costCurrency = e.data.currency, i.costBasis = e.data.basis,
        i.costEstimatedAt = ${at}`,
};
