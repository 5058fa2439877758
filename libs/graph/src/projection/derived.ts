import type { EventType } from '@app/domain';
import { AT } from './cypher';

/**
 * Derived facts for the analyses, kept beside the history they come from so that an analysis over
 * 100,000 incidents reads one relationship per engagement instead of walking three temporal chains
 * (docs/analytics.md, "Derived facts"):
 *
 * - `Incident.ownerIds`: the teams owning, at declaredAt, a service the incident impacted (sorted);
 *   `Incident.onCallIds`: the people on those teams' shifts covering declaredAt (sorted).
 * - `(Person)-[:ENGAGED]->(Incident)`, one per engagement: `declaredAt`, `firstJoin`, `end` (first
 *   leave or resolution at or after the first join), `ms` (end - first join, 0 without an end),
 *   `zone` (the person's zone at the first join), `offHours`, `teamIds` (teams the person was a
 *   member of at declaredAt, sorted), `outsider` (none of them owns the incident's services).
 * - `HANDED_OFF_TO.fromZone` / `toZone`: both people's zones at the handoff.
 * - `Incident.serviceIds`: the services it impacted (sorted); `Incident.pagedIds`: the people paged
 *   for it (sorted; set by ResponderPaged, absent when nobody was).
 * - The incident's rollup of its engagements, so that per-incident figures need no expansion:
 *   `responderIds` (sorted), `outsiderIds` (the outsiders among them), `responderCount`,
 *   `outsiderCount`, `responderTeamIds` (the union of their `teamIds`, sorted) with, per team in
 *   that order, `responderTeamMs`, `responderTeamZoned` and `responderTeamOffHours` (the sum of `ms`,
 *   the engagements with a zone, the off-hours ones, over the engagements of its members),
 *   `responderMs` (sum of `ms`), `firstJoinAt` (earliest first join), `pagedAbsentIds` (paged,
 *   never joined) and `pagedAbsent` (indexed: some were).
 *
 * Each fact is recomputed from the graph (never patched), by the events that can change it: the
 * incident's own events, and, for org events, every incident or engagement at or after the event's
 * business time that depends on the chain it changed. A recomputation is idempotent and sees the
 * graph as it is, so the facts come out the same whatever order the events are projected in.
 * applyEvents runs these statements right after the projection statement of the same run.
 */

const holds = (rel: string, at: string) => `${rel}.since <= ${at} AND (${rel}.until IS NULL OR ${rel}.until > ${at})`;

/** Recomputes the engagement of `ep` in `ei` (both bound). */
const refreshEngagement = `
  CALL (ep, ei) {
    WITH ep, ei, ei.declaredAt AS d,
         reduce(m = null, x IN COLLECT { MATCH (ep)-[j:RESPONDED_TO]->(ei) RETURN j.joinedAt } | CASE WHEN m IS NULL OR x < m THEN x ELSE m END) AS fj
    WHERE fj IS NOT NULL
    MERGE (ep)-[g:ENGAGED]->(ei)
    WITH ep, ei, d, fj, g,
         reduce(m = null, x IN
           COLLECT { MATCH (ep)-[l:LEFT]->(ei) WHERE l.at >= fj RETURN l.at }
           + [r IN coalesce(ei.resolvedTimes, []) WHERE r >= fj] |
           CASE WHEN m IS NULL OR x < m THEN x ELSE m END) AS end,
         head(COLLECT { MATCH (ep)-[z:IN_TIME_ZONE]->(tz:TimeZone) WHERE ${holds('z', 'fj')} RETURN tz.name }) AS zone,
         CASE WHEN d IS NULL THEN [] ELSE COLLECT { MATCH (ep)-[m:MEMBER_OF]->(t:Team) WHERE ${holds('m', 'd')} RETURN DISTINCT t.id AS x ORDER BY x } END AS teamIds
    SET g.declaredAt = d, g.firstJoin = fj, g.end = end,
        g.ms = CASE WHEN end IS NULL THEN 0 ELSE end.epochMillis - fj.epochMillis END,
        g.zone = zone,
        g.offHours = CASE WHEN zone IS NULL THEN null ELSE
          [local IN [datetime({datetime: fj, timezone: zone})] | local.dayOfWeek >= 6 OR local.hour < 9 OR local.hour >= 18][0] END,
        g.teamIds = teamIds,
        g.outsider = none(x IN teamIds WHERE x IN coalesce(ei.ownerIds, [])),
        g.paged = EXISTS { (ep)-[:PAGED]->(ei) }
  }`;

/** Recomputes the rollup of the engagements of incident `ei` (bound). */
const refreshRollup = `
  CALL (ei) {
    WITH ei, COLLECT {
      MATCH (rp:Person)-[rg:ENGAGED]->(ei)
      RETURN {id: rp.id, teamIds: rg.teamIds, ms: rg.ms, firstJoin: rg.firstJoin, outsider: rg.outsider, zoned: rg.zone IS NOT NULL, offHours: rg.offHours} AS x
      ORDER BY x.id
    } AS gs
    WITH ei, gs, COLLECT { UNWIND gs AS x_ UNWIND x_.teamIds AS t_ RETURN DISTINCT t_ ORDER BY t_ } AS teamIds
    SET ei.responderIds = [x IN gs | x.id],
        ${pagedAbsent('ei', 'ei.pagedIds', '[x IN gs | x.id]')},
        ei.outsiderIds = [x IN gs WHERE x.outsider | x.id],
        ei.responderCount = size(gs),
        ei.outsiderCount = size([x IN gs WHERE x.outsider]),
        ei.responderTeamIds = teamIds,
        ei.responderTeamMs = [t IN teamIds | reduce(total = 0, x IN gs | total + CASE WHEN t IN x.teamIds THEN x.ms ELSE 0 END)],
        ei.responderTeamZoned = [t IN teamIds | size([x IN gs WHERE t IN x.teamIds AND x.zoned])],
        ei.responderTeamOffHours = [t IN teamIds | size([x IN gs WHERE t IN x.teamIds AND x.offHours])],
        ei.responderMs = reduce(total = 0, x IN gs | total + x.ms),
        ei.firstJoinAt = reduce(m = null, x IN gs | CASE WHEN m IS NULL OR x.firstJoin < m THEN x.firstJoin ELSE m END)
  }`;

/** The engagement of `ep` in `ei` (both bound), then the rollup of `ei`. */
const refreshEngagementAndRollup = `${refreshEngagement} ${refreshRollup}`;

/** `pagedAbsentIds` (paged, never joined) and `pagedAbsent` (there are some) of incident `v` (bound). */
function pagedAbsent(v: string, paged: string, responders: string): string {
  const absent = `[x_ IN coalesce(${paged}, []) WHERE NOT x_ IN coalesce(${responders}, [])]`;
  return `${v}.pagedAbsentIds = ${absent}, ${v}.pagedAbsent = size(${absent}) > 0`;
}

/** The people paged for the incident `v` (bound), sorted. */
const pagedIdsOf = (v: string) => `COLLECT { MATCH (pp_:Person)-[:PAGED]->(${v}) RETURN DISTINCT pp_.id AS x ORDER BY x }`;

/** Recomputes who was on call for the incident `ri` (bound) at its declaration. */
const refreshOnCall = `
  CALL (ri) {
    WITH ri, ri.declaredAt AS d
    SET ri.onCallIds = CASE WHEN d IS NULL THEN [] ELSE COLLECT {
      UNWIND coalesce(ri.ownerIds, []) AS teamId
      MATCH (oc:Person)-[s:ON_CALL {teamId: teamId}]->(:Team {id: teamId})
      WHERE s.startsAt <= d AND d < s.endsAt
      RETURN DISTINCT oc.id AS x ORDER BY x } END
  }`;

/** Recomputes the owners and on-call people of the incident `ri` (bound), then its engagements. */
const refreshIncident = `
  CALL (ri) {
    WITH ri, ri.declaredAt AS d
    SET ri.ownerIds = CASE WHEN d IS NULL THEN [] ELSE COLLECT {
      MATCH (ri)-[:IMPACTED]->(:Service)<-[o:OWNS]-(t:Team) WHERE ${holds('o', 'd')}
      RETURN DISTINCT t.id AS x ORDER BY x } END,
        ri.serviceIds = COLLECT { MATCH (ri)-[:IMPACTED]->(s_:Service) RETURN DISTINCT s_.id AS x ORDER BY x }
    WITH ri
    ${refreshOnCall}
    WITH ri
    CALL (ri) {
      MATCH (ep:Person)-[:RESPONDED_TO]->(ri)
      WITH DISTINCT ep, ri AS ei
      ${refreshEngagement}
    }
    WITH ri AS ei
    ${refreshRollup}
  }`;

/** The engagements of person `ep` (bound) from `since` on (by `property` of ENGAGED). */
const refreshPersonEngagements = (property: 'declaredAt' | 'firstJoin', since: string) => `
  MATCH (ep)-[g:ENGAGED]->(ei:Incident)
  WHERE g.${property} IS NULL OR g.${property} >= ${since}
  ${refreshEngagementAndRollup}`;

/** The zones of both people of the handoff `h` (bound) at its time. */
const refreshHandoff = `
  CALL (h) {
    MATCH (f:Person)-[h]->(t:Person)
    SET h.fromZone = head(COLLECT { MATCH (f)-[z:IN_TIME_ZONE]->(tz:TimeZone) WHERE ${holds('z', 'h.at')} RETURN tz.name }),
        h.toZone = head(COLLECT { MATCH (t)-[z:IN_TIME_ZONE]->(tz:TimeZone) WHERE ${holds('z', 'h.at')} RETURN tz.name })
  }`;

/** The handoffs of person `ep` (bound), either side, from `since` on. */
const refreshPersonHandoffs = (since: string) => `
  MATCH (ep)-[h:HANDED_OFF_TO]-(:Person)
  WHERE h.at >= ${since}
  WITH DISTINCT h
  ${refreshHandoff}`;

const incident = 'MATCH (ri:Incident {id: e.data.incidentId})';
const engagement = 'MATCH (ep:Person {id: e.data.personId}), (ei:Incident {id: e.data.incidentId})';
const person = 'MATCH (ep:Person {id: e.data.personId})';

/** Incidents at or after the event impacting the service `s` (bound). */
const serviceIncidents = `
  MATCH (ri:Incident)-[:IMPACTED]->(s)
  WHERE ri.declaredAt >= ${AT}
  ${refreshIncident}`;

export const DERIVED: Partial<Record<EventType, string>> = {
  IncidentDeclared: `${incident} ${refreshIncident}`,
  ServiceImpacted: `${incident} ${refreshIncident}`,
  ResponderJoined: `${engagement} ${refreshEngagementAndRollup}`,
  ResponderLeft: `${engagement} ${refreshEngagementAndRollup}`,
  // Paging changes no engagement figure but `paged`: set directly, without recomputing the engagement.
  ResponderPaged: `${engagement} SET ei.pagedIds = ${pagedIdsOf('ei')}
    SET ${pagedAbsent('ei', 'ei.pagedIds', 'ei.responderIds')}
    WITH ep, ei OPTIONAL MATCH (ep)-[g:ENGAGED]->(ei) SET g.paged = true`,
  IncidentResolved: `MATCH (ei:Incident {id: e.data.incidentId}) CALL (ei) { MATCH (ep:Person)-[:ENGAGED]->(ei) ${refreshEngagement} } ${refreshRollup}`,
  // From both people (unique ids), not from a scan of every handoff by event id.
  CommandHandedOff: `MATCH (:Person {id: e.data.fromPersonId})-[h:HANDED_OFF_TO {eventId: e.id}]->(:Person {id: e.data.toPersonId}) ${refreshHandoff}`,
  PersonRegistered: `${person} CALL (ep, e) { ${refreshPersonEngagements('firstJoin', AT)} } CALL (ep, e) { ${refreshPersonHandoffs(AT)} }`,
  PersonUpdated: `${person} WHERE e.data.timeZone IS NOT NULL CALL (ep, e) { ${refreshPersonEngagements('firstJoin', AT)} } CALL (ep, e) { ${refreshPersonHandoffs(AT)} }`,
  TeamMemberAdded: `${person} ${refreshPersonEngagements('declaredAt', AT)}`,
  TeamMemberRemoved: `${person} ${refreshPersonEngagements('declaredAt', AT)}`,
  ServiceOwnershipAssigned: `MATCH (s:Service {id: e.data.serviceId}) ${serviceIncidents}`,
  ServiceRetired: `MATCH (s:Service {id: e.data.serviceId}) ${serviceIncidents}`,
  TeamDissolved: `
    MATCH (t:Team {id: e.data.teamId})
    CALL (t, e) {
      MATCH (t)-[:OWNS]->(s:Service)
      WITH DISTINCT s, e
      ${serviceIncidents}
    }
    CALL (t, e) {
      MATCH (ep:Person)-[:MEMBER_OF]->(t)
      WITH DISTINCT ep, e
      ${refreshPersonEngagements('declaredAt', AT)}
    }`,
  OnCallShiftScheduled: `
    MATCH (ri:Incident)
    WHERE ri.declaredAt >= datetime(e.data.startsAt) AND ri.declaredAt < datetime(e.data.endsAt)
      AND e.data.teamId IN ri.ownerIds
    ${refreshOnCall}`,
};

/** The statement that keeps the derived facts of a run of events of one type, if it has any. */
export function derivedStatement(type: EventType): string | null {
  const body = DERIVED[type];
  return body ? `UNWIND $events AS e CALL (e) { ${body} }` : null;
}
