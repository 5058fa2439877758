import type { Driver } from 'neo4j-driver';
import { readRows } from '../graph-reader';
import { isoDateTime as iso } from '../temporal';

export interface PersonRef { id: string; name: string | null; placeholder: boolean }
export interface TeamRef { id: string; name: string | null; placeholder: boolean }
export interface ServiceRef { id: string; name: string | null; tier: number | null; placeholder: boolean }

export interface IncidentView {
  id: string;
  title: string | null;
  severity: string | null;
  status: string | null;
  summary: string | null;
  declaredAt: string | null;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  placeholder: boolean;
  responders: { person: PersonRef; role: string; joinedAt: string; leftAt: string | null }[];
  impactedServices: { service: ServiceRef; owningTeam: TeamRef | null }[];
}

export interface TeamView {
  id: string;
  name: string | null;
  placeholder: boolean;
  dissolvedAt: string | null;
  parent: TeamRef | null;
  members: { person: PersonRef; role: string; since: string; until: string | null }[];
}

export interface ServiceView {
  id: string;
  name: string | null;
  tier: number | null;
  placeholder: boolean;
  retiredAt: string | null;
  owner: TeamRef | null;
}

const personRef = (v: string) => `{id: ${v}.id, name: ${v}.name, placeholder: coalesce(${v}.placeholder, false)}`;
const teamRef = personRef;
const serviceRef = (v: string) =>
  `{id: ${v}.id, name: ${v}.name, tier: ${v}.tier, placeholder: coalesce(${v}.placeholder, false)}`;

/** A relationship with since/until holds at `$asOf` when it started by then and had not ended. */
const holdsAt = (r: string, instant: string) => `${r}.since <= ${instant} AND (${r}.until IS NULL OR ${r}.until > ${instant})`;

/** The part after the MATCH of the incident `i`: its responders and impacted services. */
const INCIDENT_BODY = `
  CALL (i) {
    OPTIONAL MATCH (p:Person)-[r:RESPONDED_TO]->(i)
    WITH p, r ORDER BY r.joinedAt, p.id
    RETURN collect(CASE WHEN p IS NULL THEN NULL ELSE
      {person: ${personRef('p')}, role: r.role, joinedAt: ${iso('r.joinedAt')}, leftAt: ${iso('r.leftAt')}} END) AS responders
  }
  CALL (i) {
    OPTIONAL MATCH (i)-[:IMPACTED]->(s:Service)
    OPTIONAL MATCH (t:Team)-[o:OWNS]->(s) WHERE ${holdsAt('o', 'i.declaredAt')}
    WITH s, t ORDER BY s.id
    RETURN collect(CASE WHEN s IS NULL THEN NULL ELSE
      {service: ${serviceRef('s')}, owningTeam: CASE WHEN t IS NULL THEN NULL ELSE ${teamRef('t')} END} END) AS impactedServices
  }
  RETURN i.id AS id, i.title AS title, i.severity AS severity, i.status AS status, i.summary AS summary,
         ${iso('i.declaredAt')} AS declaredAt, ${iso('i.mitigatedAt')} AS mitigatedAt, ${iso('i.resolvedAt')} AS resolvedAt,
         coalesce(i.placeholder, false) AS placeholder, responders, impactedServices`;

export const INCIDENT_QUERY = `MATCH (i:Incident {id: $id})${INCIDENT_BODY}`;

/** Many incidents in one statement (the API batches `incident(id)` fields of one request with it). */
export const INCIDENTS_QUERY = `UNWIND $ids AS wanted MATCH (i:Incident {id: wanted})${INCIDENT_BODY}`;

export const TEAM_QUERY = `
  MATCH (t:Team {id: $id})
  WITH t, coalesce(datetime($asOf), datetime()) AS asOf
  OPTIONAL MATCH (t)-[c:CHILD_OF]->(parent:Team) WHERE ${holdsAt('c', 'asOf')}
  CALL (t, asOf) {
    OPTIONAL MATCH (p:Person)-[m:MEMBER_OF]->(t) WHERE ${holdsAt('m', 'asOf')}
    WITH p, m ORDER BY p.id
    RETURN collect(CASE WHEN p IS NULL THEN NULL ELSE
      {person: ${personRef('p')}, role: m.role, since: ${iso('m.since')}, until: ${iso('m.until')}} END) AS members
  }
  RETURN t.id AS id, t.name AS name, coalesce(t.placeholder, false) AS placeholder, ${iso('t.dissolvedAt')} AS dissolvedAt,
         CASE WHEN parent IS NULL THEN NULL ELSE ${teamRef('parent')} END AS parent, members`;

export const SERVICE_QUERY = `
  MATCH (s:Service {id: $id})
  WITH s, coalesce(datetime($asOf), datetime()) AS asOf
  OPTIONAL MATCH (t:Team)-[o:OWNS]->(s) WHERE ${holdsAt('o', 'asOf')}
  RETURN s.id AS id, s.name AS name, s.tier AS tier, coalesce(s.placeholder, false) AS placeholder,
         ${iso('s.retiredAt')} AS retiredAt, CASE WHEN t IS NULL THEN NULL ELSE ${teamRef('t')} END AS owner`;

export class EntityReader {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  async incident(id: string): Promise<IncidentView | null> {
    const [row] = await readRows<IncidentView>(this.driver, INCIDENT_QUERY, { id }, this.database);
    return row ?? null;
  }

  /** Several incidents in one statement; the result follows `ids` (null for an unknown id). */
  async incidents(ids: readonly string[]): Promise<(IncidentView | null)[]> {
    const rows = await readRows<IncidentView>(this.driver, INCIDENTS_QUERY, { ids: [...new Set(ids)] }, this.database);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** `asOf`: ISO-8601 instant; members and parent as they were then (default: now). */
  async team(id: string, asOf?: string): Promise<TeamView | null> {
    const [row] = await readRows<TeamView>(this.driver, TEAM_QUERY, { id, asOf: asOf ?? null }, this.database);
    return row ?? null;
  }

  async service(id: string, asOf?: string): Promise<ServiceView | null> {
    const [row] = await readRows<ServiceView>(this.driver, SERVICE_QUERY, { id, asOf: asOf ?? null }, this.database);
    return row ?? null;
  }
}

