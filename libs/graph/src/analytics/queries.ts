/**
 * The named Cypher of the analyses (ANALYTICS.md). Query text is built only from the fragments in
 * this file and from which window bounds are present (a closed set of shapes, so that a bounded
 * window can use the `Incident(declaredAt)` index); every value is a parameter: `$from`, `$to`
 * (ISO-8601), `$now`, `$asOf`, `$limit`, `$serviceIds`, `$serviceId`, `$minShared`.
 *
 * Terms (docs/graph-model.md): a relationship holds at t when `since <= t < until` (until null:
 * still holds). Engagements are read from the derived `(Person)-[g:ENGAGED]->(Incident)` facts the
 * projection keeps (libs/graph/src/projection/derived.ts: first join, end, duration in ms, zone and
 * off hours at the first join, teams at declaredAt, outsider), and the owning teams and on-call
 * people of an incident from `Incident.ownerIds` / `Incident.onCallIds`, so that no analysis walks a
 * temporal chain per engagement.
 */
import { isoDateTime as iso } from '../temporal';

export interface WindowShape {
  from: boolean;
  to: boolean;
}

/** `v.prop` in [$from, $to); an absent bound is open. */
export function inWindow(variable: string, property: string, shape: WindowShape): string {
  const parts = [`${variable}.${property} IS NOT NULL`];
  if (shape.from) parts.push(`${variable}.${property} >= datetime($from)`);
  if (shape.to) parts.push(`${variable}.${property} < datetime($to)`);
  return parts.join(' AND ');
}

const holds = (rel: string, at: string) => `${rel}.since <= ${at} AND (${rel}.until IS NULL OR ${rel}.until > ${at})`;


const ref = (v: string) => `{id: ${v}.id, name: ${v}.name}`;
const incidentRef = (v: string) => `{id: ${v}.id, title: ${v}.title, declaredAt: ${iso(`${v}.declaredAt`)}}`;

/** Engagements of incidents declared in the window: rows (p, g, i). */
const engagements = (w: WindowShape) => `MATCH (p)-[g:ENGAGED]->(i) WHERE ${inWindow('g', 'declaredAt', w)}`;

/** Person refs for a list of person ids (sorted by id). */
const peopleOf = (ids: string) => `COLLECT { UNWIND ${ids} AS pid_ MATCH (p_:Person {id: pid_}) RETURN ${ref('p_')} AS pr_ ORDER BY pr_.id }`;

/** Team refs for a list of team ids (sorted by id). */
const teamsOf = (ids: string) => `COLLECT { UNWIND ${ids} AS tid_ MATCH (t_:Team {id: tid_}) RETURN ${ref('t_')} AS tr_ ORDER BY tr_.id }`;

/** 2. Heroes: counted from the engagements alone; the teams helped only for the people ranked. */
export const heroesQuery = (w: WindowShape) => `
  CALL () { MATCH (i:Incident) WHERE ${inWindow('i', 'declaredAt', w)} RETURN count(i) AS total }
  ${engagements(w)}
  WITH total, p, count(*) AS incidents,
       sum(CASE WHEN g.outsider THEN 1 ELSE 0 END) AS outsiderIncidents,
       sum(CASE WHEN g.offHours THEN 1 ELSE 0 END) AS offHoursIncidents
  ORDER BY incidents DESC, p.id ASC
  LIMIT $limit
  CALL (p) {
    MATCH (p)-[g:ENGAGED]->(i) WHERE ${inWindow('g', 'declaredAt', w)} AND g.outsider
    UNWIND i.ownerIds AS teamId
    RETURN collect(DISTINCT teamId) AS helpedIds
  }
  RETURN ${ref('p')} AS person, incidents, outsiderIncidents, offHoursIncidents, total, ${teamsOf('helpedIds')} AS helpedTeams`;

/** 3. Team collaboration: pairs of teams of responders (members at declaredAt) per incident (from `responderTeamIds`, sorted). */
const teamPairs = (w: WindowShape) => `
  MATCH (i:Incident) WHERE ${inWindow('i', 'declaredAt', w)} AND size(i.responderTeamIds) > 1
  WITH i.responderTeamIds AS teams
  UNWIND range(0, size(teams) - 2) AS x_
  UNWIND range(x_ + 1, size(teams) - 1) AS y_
  WITH teams[x_] AS a, teams[y_] AS b, count(*) AS sharedIncidents
  WHERE sharedIncidents >= $minShared`;

export const teamCollaborationQuery = (w: WindowShape) => `
  ${teamPairs(w)}
  MATCH (ta:Team {id: a}), (tb:Team {id: b})
  RETURN ${ref('ta')} AS teamA, ${ref('tb')} AS teamB, sharedIncidents`;

/**
 * 3. Hidden coupling: the pairs that are not `$near` (a map of `a|b` keys: the pairs of the team
 * tree at org distance 1 or 2), the $limit with most shared incidents.
 */
export const hiddenCouplingQuery = (w: WindowShape) => `
  ${teamPairs(w)} AND $near[a + '|' + b] IS NULL
  WITH a, b, sharedIncidents ORDER BY sharedIncidents DESC, a ASC, b ASC LIMIT $limit
  MATCH (ta:Team {id: a}), (tb:Team {id: b})
  RETURN ${ref('ta')} AS teamA, ${ref('tb')} AS teamB, sharedIncidents`;

/** The team tree at $at: child -> parent links that hold then. */
export const teamTreeQuery = `
  MATCH (c:Team)-[r:CHILD_OF]->(parent:Team) WHERE ${holds('r', 'datetime($at)')}
  RETURN c.id AS child, parent.id AS parent`;

/** 4. Time zones: distinct zones of the responders at their first joins, per incident. */
export const incidentZonesQuery = (w: WindowShape) => `
  ${engagements(w)}
  WITH i, count(DISTINCT g.zone) AS zones
  RETURN ${incidentRef('i')} AS incident, zones
  ORDER BY i.declaredAt ASC, i.id ASC
  LIMIT $listLimit`;

/** 4. Time zones: command handoffs between people whose UTC offsets differ at that instant. */
export const zoneHandoffsQuery = (w: WindowShape) => `
  MATCH (f:Person)-[h:HANDED_OFF_TO]->(t:Person)
  WHERE h.fromZone IS NOT NULL AND h.toZone IS NOT NULL
  MATCH (i:Incident {id: h.incidentId}) WHERE ${inWindow('i', 'declaredAt', w)}
  WITH i, f, t, h,
       datetime({datetime: h.at, timezone: h.fromZone}).offsetSeconds / 60 AS fromOffset,
       datetime({datetime: h.at, timezone: h.toZone}).offsetSeconds / 60 AS toOffset
  WHERE fromOffset <> toOffset
  RETURN ${incidentRef('i')} AS incident, ${ref('f')} AS from, ${ref('t')} AS to, ${iso('h.at')} AS at,
         h.fromZone AS fromZone, h.toZone AS toZone, fromOffset, toOffset
  ORDER BY h.at ASC, i.id ASC, f.id ASC
  LIMIT $listLimit`;

/** 5. Action-item debt per owner team, items created in the window (and by $asOf), at $asOf. */
export const actionItemDebtQuery = (w: WindowShape) => `
  WITH datetime($asOf) AS asOf
  MATCH (a:ActionItem)
  WHERE ${inWindow('a', 'createdAt', w)} AND a.createdAt <= asOf AND a.ownerTeamId IS NOT NULL
  WITH asOf, a.ownerTeamId AS teamId, a,
       a.completedAt IS NOT NULL AND a.completedAt <= asOf AS completed,
       a.cancelledAt IS NOT NULL AND a.cancelledAt <= asOf AS cancelled
  WITH asOf, teamId, a, completed, cancelled, NOT completed AND NOT cancelled AS open
  WITH teamId, count(a) AS created,
       sum(CASE WHEN completed THEN 1 ELSE 0 END) AS completed,
       sum(CASE WHEN cancelled THEN 1 ELSE 0 END) AS cancelled,
       sum(CASE WHEN open THEN 1 ELSE 0 END) AS open,
       sum(CASE WHEN open AND a.dueAt IS NOT NULL AND a.dueAt < asOf THEN 1 ELSE 0 END) AS overdue,
       collect(CASE WHEN open THEN asOf.epochMillis - a.createdAt.epochMillis END) AS openAgesMs
  MATCH (t:Team {id: teamId})
  RETURN ${ref('t')} AS team, created, completed, cancelled, open, overdue, openAgesMs
  ORDER BY open DESC, t.id ASC`;

/** 6. On-call drift: covered incidents, and the covering on-call people who never joined. */
export const onCallDriftQuery = (w: WindowShape) => `
  CALL () {
    MATCH (i:Incident) WHERE ${inWindow('i', 'declaredAt', w)} AND size(i.onCallIds) > 0
    WITH i, i.responderIds AS responderIds
    RETURN count(i) AS covered, sum(CASE WHEN any(x IN i.onCallIds WHERE NOT x IN responderIds) THEN 1 ELSE 0 END) AS driftedCount
  }
  CALL () {
    MATCH (i:Incident) WHERE ${inWindow('i', 'declaredAt', w)} AND size(i.onCallIds) > 0
    WITH i, i.responderIds AS responderIds
    WITH i, responderIds, [x IN i.onCallIds WHERE NOT x IN responderIds] AS absentIds
    WHERE size(absentIds) > 0
    WITH i, responderIds, absentIds ORDER BY i.declaredAt ASC, i.id ASC LIMIT $listLimit
    RETURN collect({
      incident: ${incidentRef('i')},
      onCall: ${peopleOf('i.onCallIds')},
      absent: ${peopleOf('absentIds')},
      responders: ${peopleOf('responderIds')}
    }) AS incidents
  }
  RETURN covered, driftedCount, incidents`;

/** 7. Load: engagements per person, ranked by responder time, then incidents, then id. */
export const loadQuery = (w: WindowShape) => `
  ${engagements(w)}
  WITH p, count(*) AS incidents, sum(CASE WHEN g.offHours THEN 1 ELSE 0 END) AS offHoursIncidents, sum(g.ms) AS responderMs
  ORDER BY responderMs DESC, incidents DESC, p.id ASC
  LIMIT $limit
  CALL (p) {
    MATCH (p)-[g:ENGAGED]->() WHERE ${inWindow('g', 'declaredAt', w)} AND g.end IS NOT NULL
    RETURN collect([g.firstJoin.epochMillis, g.end.epochMillis]) AS intervals
  }
  RETURN ${ref('p')} AS person, incidents, offHoursIncidents, responderMs, intervals`;

/**
 * 8. Paging vs presence: (person, incident) pairs paged without joining (`pnj`: from the incident's
 * `pagedIds` and `responderIds`) or joining unpaged (`jnp`: engagements not `paged`), with the teams
 * the person was a member of at declaredAt; summed per person and per team in one pass.
 */
export const pagingQuery = (w: WindowShape) => `
  CALL () {
    MATCH (i:Incident) WHERE i.pagedAbsent = true AND ${inWindow('i', 'declaredAt', w)}
    UNWIND i.pagedAbsentIds AS personId
    MATCH (p:Person {id: personId})
    RETURN p, 1 AS pnj, 0 AS jnp,
           COLLECT { MATCH (p)-[m:MEMBER_OF]->(t:Team) WHERE ${holds('m', 'i.declaredAt')} RETURN DISTINCT t.id } AS teamIds
    UNION ALL
    ${engagements(w)} AND NOT g.paged
    RETURN p, 0 AS pnj, 1 AS jnp, g.teamIds AS teamIds
  }
  WITH p, teamIds, sum(pnj) AS pnj, sum(jnp) AS jnp
  WITH collect({p: p, teamIds: teamIds, pnj: pnj, jnp: jnp}) AS rows
  RETURN
    COLLECT {
      UNWIND rows AS r_ WITH r_.p AS p, sum(r_.pnj) AS pagedNotJoined, sum(r_.jnp) AS joinedUnpaged
      RETURN {person: ${ref('p')}, pagedNotJoined: pagedNotJoined, joinedUnpaged: joinedUnpaged} AS x
      ORDER BY pagedNotJoined DESC, joinedUnpaged DESC, p.id ASC
    } AS people,
    COLLECT {
      UNWIND rows AS r_ UNWIND r_.teamIds AS teamId
      WITH teamId, sum(r_.pnj) AS pagedNotJoined, sum(r_.jnp) AS joinedUnpaged
      MATCH (t:Team {id: teamId})
      RETURN {team: ${ref('t')}, pagedNotJoined: pagedNotJoined, joinedUnpaged: joinedUnpaged} AS x
      ORDER BY pagedNotJoined DESC, joinedUnpaged DESC, t.id ASC
    } AS teams`;

/** 9. Coordination cost: per incident people, teams and time to first join; sorted lists for the statistics. */
export const coordinationCostQuery = (w: WindowShape) => `
  MATCH (i:Incident) WHERE ${inWindow('i', 'declaredAt', w)}
  WITH i, size(i.responderIds) AS people, size(i.responderTeamIds) AS teamCount,
       CASE WHEN i.firstJoinAt IS NULL THEN null ELSE (i.firstJoinAt.epochMillis - i.declaredAt.epochMillis) / 60000.0 END AS minutes
  WITH collect({i: i, people: people, teams: teamCount, minutes: minutes}) AS rows
  RETURN size(rows) AS incidents,
    COLLECT { UNWIND rows AS r_ RETURN r_.people AS x ORDER BY x } AS people,
    COLLECT { UNWIND rows AS r_ RETURN r_.teams AS x ORDER BY x } AS teams,
    COLLECT { UNWIND rows AS r_ WITH r_ WHERE r_.minutes IS NOT NULL RETURN r_.minutes AS x ORDER BY x } AS minutes,
    COLLECT {
      UNWIND rows AS r_ WITH r_ WHERE r_.minutes IS NOT NULL
      RETURN {incident: ${incidentRef('r_.i')}, people: r_.people, teams: r_.teams, minutesToFirstJoin: r_.minutes} AS x
      ORDER BY r_.minutes DESC, r_.i.id ASC LIMIT 10
    } AS slowest`;

/**
 * 1. and 10. The totals of every service with incidents in the window ($serviceIds: only these,
 * or null for all), from one read of each incident's rollup: the figures that service response
 * shares and service burden ranks by.
 */
export const serviceTotalsQuery = (w: WindowShape) => `
  MATCH (i:Incident) WHERE ${inWindow('i', 'declaredAt', w)}
    AND ($serviceIds IS NULL OR any(x_ IN i.serviceIds WHERE x_ IN $serviceIds))
  UNWIND i.serviceIds AS serviceId
  WITH serviceId, i WHERE $serviceIds IS NULL OR serviceId IN $serviceIds
  WITH serviceId, count(i) AS incidents,
       sum(i.responderCount) AS engagements,
       sum(i.outsiderCount) AS outsiderEngagements,
       sum(CASE i.severity WHEN 'SEV1' THEN 16 WHEN 'SEV2' THEN 8 WHEN 'SEV3' THEN 4 WHEN 'SEV4' THEN 2 WHEN 'SEV5' THEN 1 ELSE 0 END) AS weightedIncidents,
       sum(i.responderMs) AS responderMs
  MATCH (s:Service {id: serviceId})
  RETURN ${ref('s')} AS service, incidents, engagements, outsiderEngagements, weightedIncidents, responderMs`;

/** 10. Service burden: the figures beyond the totals, for the services $serviceIds. */
export const serviceBurdenDetailsQuery = (w: WindowShape) => `
  MATCH (s:Service) WHERE s.id IN $serviceIds
  CALL (s) {
    MATCH (i:Incident)-[:IMPACTED]->(s) WHERE ${inWindow('i', 'declaredAt', w)}
    WITH i, reduce(first_ = null, x_ IN coalesce(i.resolvedTimes, []) | CASE WHEN first_ IS NULL OR x_ < first_ THEN x_ ELSE first_ END) AS firstResolved
    RETURN collect(i.severity) AS severities,
           collect(i.responderIds) AS peopleLists,
           collect(i.responderTeamIds) AS teamLists,
           collect(CASE WHEN firstResolved IS NULL THEN null ELSE (firstResolved.epochMillis - i.declaredAt.epochMillis) / 60000.0 END) AS durations,
           collect(CASE WHEN i.costAmount IS NULL THEN null ELSE {currency: i.costCurrency, amount: i.costAmount} END) AS costs
  }
  RETURN s.id AS serviceId, severities,
    size(COLLECT { UNWIND peopleLists AS l_ UNWIND l_ AS x_ RETURN DISTINCT x_ }) AS people,
    size(COLLECT { UNWIND teamLists AS l_ UNWIND l_ AS x_ RETURN DISTINCT x_ }) AS teams,
    durations,
    COLLECT { UNWIND costs AS c_ WITH c_.currency AS currency, sum(c_.amount) AS amount
              RETURN {currency: currency, amount: amount} AS x ORDER BY currency } AS cost`;

/** 12. Team load: members at the end of the window. */
export const teamMembersAtQuery = `
  MATCH (p:Person)-[m:MEMBER_OF]->(t:Team) WHERE ${holds('m', 'datetime($at)')}
  RETURN ${ref('t')} AS team, count(DISTINCT p) AS members`;

/**
 * 12. Team load (and 4. the time zones' teams): incidents, responder time, engagements with a zone
 * and off-hours ones, of each team's members at declaredAt (from the incidents' per-team rollup).
 */
export const teamEngagementsQuery = (w: WindowShape) => `
  MATCH (i:Incident) WHERE ${inWindow('i', 'declaredAt', w)} AND size(i.responderTeamIds) > 0
  UNWIND range(0, size(i.responderTeamIds) - 1) AS k_
  WITH i.responderTeamIds[k_] AS teamId, count(*) AS incidents, sum(i.responderTeamMs[k_]) AS responderMs,
       sum(i.responderTeamZoned[k_]) AS zoned, sum(i.responderTeamOffHours[k_]) AS offHours
  MATCH (t:Team {id: teamId})
  RETURN ${ref('t')} AS team, incidents, responderMs, zoned, offHours`;

/** 1. Service response, summed per service, for the services $serviceIds. */
export const serviceResponseQuery = (w: WindowShape) => `
  MATCH (s:Service) WHERE s.id IN $serviceIds
  CALL (s) {
    OPTIONAL MATCH (i:Incident)-[:IMPACTED]->(s) WHERE ${inWindow('i', 'declaredAt', w)}
    RETURN count(i) AS incidents, sum(size(i.responderIds)) AS engagements, sum(size(i.outsiderIds)) AS outsiderEngagements
  }
  CALL (s) {
    MATCH (i:Incident)-[:IMPACTED]->(s) WHERE ${inWindow('i', 'declaredAt', w)}
    UNWIND i.responderIds AS personId
    WITH personId, count(*) AS joined
    RETURN max(joined) AS topJoined
  }
  RETURN ${ref('s')} AS service, incidents, engagements, outsiderEngagements, topJoined`;

/** 1. Service response: the outsider engagements of one service, with the person's teams at the time. */
export const serviceOutsidersQuery = (w: WindowShape) => `
  MATCH (i:Incident)-[:IMPACTED]->(s:Service {id: $serviceId}) WHERE ${inWindow('i', 'declaredAt', w)}
  MATCH (p)-[g:ENGAGED]->(i) WHERE g.outsider
  RETURN ${ref('p')} AS person, ${incidentRef('i')} AS incident, ${teamsOf('g.teamIds')} AS teams`;

/** The org in practice: engagements in the window per (person, owning team of the incident's services). */
export const responseEdgesQuery = (w: WindowShape) => `
  ${engagements(w)}
  UNWIND coalesce(i.ownerIds, []) AS teamId
  WITH p, teamId, count(*) AS incidents, sum(CASE WHEN g.outsider THEN 1 ELSE 0 END) AS outsiderIncidents
  WHERE incidents >= $minIncidents
  MATCH (t:Team {id: teamId})
  RETURN ${ref('p')} AS person, ${ref('t')} AS team, incidents, outsiderIncidents
  ORDER BY incidents DESC, person.id ASC, team.id ASC
  LIMIT $limit`;

/** Data quality: placeholder nodes and what refers to them. */
export const placeholdersQuery = `
  CALL () {
    MATCH (n:Person {placeholder: true}) RETURN n, 'PERSON' AS kind
    UNION ALL
    MATCH (n:Team {placeholder: true}) RETURN n, 'TEAM' AS kind
    UNION ALL
    MATCH (n:Service {placeholder: true}) RETURN n, 'SERVICE' AS kind
    UNION ALL
    MATCH (n:Incident {placeholder: true}) RETURN n, 'INCIDENT' AS kind
  }
  RETURN kind, n.id AS id, COLLECT {
    MATCH (n)-[r]-(m) WHERE NOT r:ENGAGED
    RETURN DISTINCT {label: labels(m)[0], id: coalesce(m.id, m.key, m.name), relationship: type(r)}
  } AS referencedBy
  ORDER BY kind, id`;

/** Time travel: the org as of $at (teams that exist then, parent, members, owned services). */
export const orgTreeQuery = `
  WITH datetime($at) AS at
  MATCH (t:Team)
  WHERE coalesce(t.placeholder, false) = false AND (t.formedAt IS NULL OR t.formedAt <= at)
    AND (t.dissolvedAt IS NULL OR t.dissolvedAt > at)
  RETURN ${ref('t')} AS team,
    head(COLLECT { MATCH (t)-[r:CHILD_OF]->(parent:Team) WHERE ${holds('r', 'at')} RETURN ${ref('parent')} }) AS parent,
    COLLECT { MATCH (p:Person)-[m:MEMBER_OF]->(t) WHERE ${holds('m', 'at')}
              RETURN {person: ${ref('p')}, role: m.role, since: ${iso('m.since')}} AS x ORDER BY p.id } AS members,
    COLLECT { MATCH (t)-[o:OWNS]->(s:Service) WHERE ${holds('o', 'at')} RETURN ${ref('s')} AS x ORDER BY s.id } AS services
  ORDER BY t.id`;
