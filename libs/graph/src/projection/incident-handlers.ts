import type { IncidentEventType } from '@app/domain';
import { AT, addTime, closeAt, insertIntoChain, minOf, optional, ref } from './cypher';

/** MERGE a placeholder-capable person by `x` (inside FOREACH). */
const person = (variable: string) => `MERGE (${variable}:Person {id: x}) ON CREATE SET ${variable}.placeholder = true`;

/** When the stint of `who` that holds at `rel`'s start ends (null while it lasts). */
const stintEnd = (who: string, rel: string) =>
  `head(COLLECT { MATCH (${who})-[x:RESPONDED_TO]->(i) WHERE x.joinedAt <= ${rel}.since
     RETURN x.leftAt ORDER BY x.joinedAt DESC, x.revision DESC LIMIT 1 })`;

/** One commander at a time: the next commander's start ends the previous one's command. */
const commandChain = (who: string) =>
  insertIntoChain({ rel: 'c', scope: `i, ${who}`, siblings: '(:Person)-[x:COMMANDED]->(i)', closers: [stintEnd(who, 'c')] });

export const INCIDENT_PROJECTION: Record<IncidentEventType, string> = {
  IncidentDeclared: `
    MERGE (i:Incident {id: e.data.incidentId})
    SET i.title = e.data.title, i.severity = e.data.severity, i.summary = e.data.summary,
        i.declaredAt = ${AT}, i.status = coalesce(i.status, 'active'), i.placeholder = false
    WITH i, e
    ${optional('e.data.declaredBy', `${person('p')} MERGE (p)-[r:DECLARED]->(i) SET r.at = ${AT}`)}
    FOREACH (sid IN coalesce(e.data.impactedServiceIds, []) |
      MERGE (s:Service {id: sid}) ON CREATE SET s.placeholder = true
      MERGE (i)-[r:IMPACTED]->(s) SET r.since = ${minOf(`[r.since, ${AT}]`)})`,

  IncidentSeverityChanged: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    SET i.severity = e.data.severity`,

  ServiceImpacted: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    ${ref('s', 'Service', 'e.data.serviceId')}
    MERGE (i)-[r:IMPACTED]->(s) SET r.since = ${minOf(`[r.since, ${AT}]`)}`,

  ResponderPaged: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    ${ref('p', 'Person', 'e.data.personId')}
    MERGE (p)-[r:PAGED {eventId: e.id}]->(i)
    ON CREATE SET r.at = ${AT}, r.escalatedFromPersonId = e.data.escalatedFromPersonId`,

  ResponderAcknowledged: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    ${ref('p', 'Person', 'e.data.personId')}
    MERGE (p)-[r:ACKNOWLEDGED {eventId: e.id}]->(i) ON CREATE SET r.at = ${AT}`,

  // One stint per join; a stint ends when the person leaves (or, at the latest, joins again).
  ResponderJoined: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    ${ref('p', 'Person', 'e.data.personId')}
    MERGE (p)-[r:RESPONDED_TO {eventId: e.id}]->(i)
    ON CREATE SET r.role = e.data.role, r.joinedAt = ${AT}, r.revision = e.revision
    ${insertIntoChain({
      rel: 'r',
      scope: 'p, i, e',
      siblings: '(p)-[x:RESPONDED_TO]->(i)',
      since: 'joinedAt',
      until: 'leftAt',
      inheritEnd: true,
    })}
    WITH p, i, e
    WHERE e.data.role = 'commander'
    MERGE (p)-[c:COMMANDED {eventId: e.id}]->(i) ON CREATE SET c.since = ${AT}, c.revision = e.revision
    ${commandChain('p')}`,

  // Each leave is also kept as its own relationship: the analyses need the first leave after a join, which
  // a stint's leftAt does not tell apart from a re-join.
  ResponderLeft: `
    MATCH (p:Person {id: e.data.personId}), (i:Incident {id: e.data.incidentId})
    MERGE (p)-[l:LEFT {eventId: e.id}]->(i) ON CREATE SET l.at = ${AT}
    WITH p, i, e
    ${closeAt('p, i, e', '(p)-[x:RESPONDED_TO]->(i)', AT, 'true', { since: 'joinedAt', until: 'leftAt' })}
    ${closeAt('p, i, e', '(p)-[x:COMMANDED]->(i)', AT)}`,

  CommandHandedOff: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    ${ref('from', 'Person', 'e.data.fromPersonId')}
    ${ref('to', 'Person', 'e.data.toPersonId')}
    MERGE (from)-[h:HANDED_OFF_TO {eventId: e.id}]->(to) ON CREATE SET h.incidentId = e.data.incidentId, h.at = ${AT}
    WITH i, from, to, e
    ${closeAt('i, from, e', '(from)-[x:COMMANDED]->(i)', AT)}
    MERGE (to)-[c:COMMANDED {eventId: e.id}]->(i) ON CREATE SET c.since = ${AT}, c.revision = e.revision
    ${commandChain('to')}`,

  TimelineNoteAdded: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    MERGE (n:TimelineNote {key: e.data.incidentId + '/' + e.data.noteId})
    SET n.noteId = e.data.noteId, n.incidentId = e.data.incidentId, n.text = e.data.text, n.at = ${AT}
    MERGE (i)-[:HAS_NOTE]->(n)
    WITH n, e
    ${optional('e.data.authorId', `${person('p')} MERGE (p)-[:WROTE]->(n)`)}`,

  ContributingFactorIdentified: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    MERGE (f:ContributingFactor {key: e.data.incidentId + '/' + e.data.factorId})
    SET f.factorId = e.data.factorId, f.incidentId = e.data.incidentId, f.description = e.data.description,
        f.category = e.data.category, f.identifiedAt = ${AT}
    MERGE (i)-[:HAS_FACTOR]->(f)`,

  IncidentMitigated: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    SET i.mitigatedAt = ${AT}
    WITH i, e
    ${optional('e.data.mitigatedBy', `${person('p')} MERGE (p)-[r:MITIGATED {eventId: e.id}]->(i) ON CREATE SET r.at = ${AT}`)}`,

  IncidentResolved: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    SET i.status = 'resolved', i.resolvedAt = ${AT}
    ${addTime('i.resolvedTimes', AT)}
    WITH i, e
    ${optional('e.data.resolvedBy', `${person('p')} MERGE (p)-[r:RESOLVED {eventId: e.id}]->(i) ON CREATE SET r.at = ${AT}`)}`,

  // The count comes from the list of reopen times, so a replay does not count a reopening twice.
  IncidentReopened: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    ${addTime('i.reopenTimes', AT)}
    SET i.status = 'active', i.resolvedAt = null, i.reopenedAt = ${AT}, i.reopenReason = e.data.reason,
        i.reopenCount = size(i.reopenTimes)`,

  ActionItemCreated: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    MERGE (a:ActionItem {key: e.data.incidentId + '/' + e.data.actionItemId})
    SET a.actionItemId = e.data.actionItemId, a.incidentId = e.data.incidentId, a.title = e.data.title,
        a.status = coalesce(a.status, 'open'), a.createdAt = ${AT}, a.dueAt = datetime(e.data.dueAt),
        a.ownerTeamId = e.data.ownerTeamId
    REMOVE a.placeholder
    MERGE (i)-[:HAS_ACTION_ITEM]->(a)
    WITH a, e
    ${optional('e.data.ownerTeamId', `MERGE (t:Team {id: x}) ON CREATE SET t.placeholder = true MERGE (a)-[:OWNED_BY]->(t)`)}
    ${optional('e.data.ownerPersonId', `${person('p')} MERGE (a)-[:ASSIGNED_TO]->(p)`)}`,

  ActionItemCompleted: `
    MERGE (a:ActionItem {key: e.data.incidentId + '/' + e.data.actionItemId})
    ON CREATE SET a.placeholder = true, a.actionItemId = e.data.actionItemId, a.incidentId = e.data.incidentId
    SET a.status = 'completed', a.completedAt = ${AT}`,

  ActionItemCancelled: `
    MERGE (a:ActionItem {key: e.data.incidentId + '/' + e.data.actionItemId})
    ON CREATE SET a.placeholder = true, a.actionItemId = e.data.actionItemId, a.incidentId = e.data.incidentId
    SET a.status = 'cancelled', a.cancelledAt = ${AT}, a.cancelReason = e.data.reason`,

  ReviewPublished: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    MERGE (r:Review {key: e.data.incidentId + '/' + e.data.reviewId})
    SET r.reviewId = e.data.reviewId, r.incidentId = e.data.incidentId, r.url = e.data.url, r.publishedAt = ${AT}
    MERGE (i)-[:HAS_REVIEW]->(r)
    FOREACH (x IN coalesce(e.data.authorIds, []) | ${person('p')} MERGE (p)-[:AUTHORED]->(r))`,

  IncidentCostEstimated: `
    ${ref('i', 'Incident', 'e.data.incidentId')}
    SET i.costAmount = e.data.amount, i.costCurrency = e.data.currency, i.costBasis = e.data.basis,
        i.costEstimatedAt = ${AT}`,
};
