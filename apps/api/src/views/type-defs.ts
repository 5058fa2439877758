/**
 * The generic read layer's type definitions (@neo4j/graphql, read-only). Every type is prefixed `View`
 * so that its name and the names generated from it (`viewIncidents`, `viewIncidentsConnection`,
 * `ViewIncidentWhere`, `ViewIncidentSort`...) never clash with the hand-written schema
 * (Incident, Team, Service, Person...). Labels, relationship types and properties are those of
 * docs/graph-model.md; ProjectionCheckpoint and TimelineNote are left out on purpose.
 */
export function viewTypeDefs(maxPageSize: number): string {
  const defaultPageSize = Math.min(20, maxPageSize);
  const limit = `@limit(default: ${defaultPageSize}, max: ${maxPageSize})`;
  return /* GraphQL */ `
  extend schema @query(read: true, aggregate: true) @mutation(operations: []) @subscription(events: [])

  "since/until of a temporal relationship (holds at t: since <= t < until, until null while it holds)"
  type ViewTemporal @relationshipProperties {
    since: DateTime
    until: DateTime
    eventId: String
    revision: Int
  }

  type ViewMembership @relationshipProperties {
    since: DateTime
    until: DateTime
    "member or lead"
    role: String
    eventId: String
    revision: Int
  }

  "One responder stint (RESPONDED_TO)"
  type ViewResponse @relationshipProperties {
    role: String
    joinedAt: DateTime
    leftAt: DateTime
    eventId: String
    revision: Int
  }

  "One engagement of a person in an incident (ENGAGED, derived; see docs/graph-model.md)"
  type ViewEngagement @relationshipProperties {
    declaredAt: DateTime
    firstJoin: DateTime
    end: DateTime
    ms: Int
    zone: String
    offHours: Boolean
    teamIds: [String!]
    "none of the person's teams at declaredAt owned a service the incident impacted"
    outsider: Boolean
  }

  type ViewOnCallShift @relationshipProperties {
    shiftId: String
    teamId: String
    startsAt: DateTime
    endsAt: DateTime
    scheduledAt: DateTime
    eventId: String
  }

  type ViewAt @relationshipProperties {
    at: DateTime
    eventId: String
  }

  type ViewPage @relationshipProperties {
    at: DateTime
    escalatedFromPersonId: String
    eventId: String
  }

  type ViewImpact @relationshipProperties {
    since: DateTime
  }

  type ViewPerson @node(labels: ["Person"]) ${limit} {
    id: ID!
    name: String
    email: String
    timeZone: String
    registeredAt: DateTime
    placeholder: Boolean
    memberOf: [ViewTeam!]! @relationship(type: "MEMBER_OF", direction: OUT, properties: "ViewMembership")
    inTimeZone: [ViewTimeZone!]! @relationship(type: "IN_TIME_ZONE", direction: OUT, properties: "ViewTemporal")
    onCall: [ViewTeam!]! @relationship(type: "ON_CALL", direction: OUT, properties: "ViewOnCallShift")
    respondedTo: [ViewIncident!]! @relationship(type: "RESPONDED_TO", direction: OUT, properties: "ViewResponse")
    engagedIn: [ViewIncident!]! @relationship(type: "ENGAGED", direction: OUT, properties: "ViewEngagement")
    commanded: [ViewIncident!]! @relationship(type: "COMMANDED", direction: OUT, properties: "ViewTemporal")
    declared: [ViewIncident!]! @relationship(type: "DECLARED", direction: OUT, properties: "ViewAt")
    paged: [ViewIncident!]! @relationship(type: "PAGED", direction: OUT, properties: "ViewPage")
    acknowledged: [ViewIncident!]! @relationship(type: "ACKNOWLEDGED", direction: OUT, properties: "ViewAt")
    mitigated: [ViewIncident!]! @relationship(type: "MITIGATED", direction: OUT, properties: "ViewAt")
    resolved: [ViewIncident!]! @relationship(type: "RESOLVED", direction: OUT, properties: "ViewAt")
    assignedActionItems: [ViewActionItem!]! @relationship(type: "ASSIGNED_TO", direction: IN)
    authoredReviews: [ViewReview!]! @relationship(type: "AUTHORED", direction: OUT)
  }

  type ViewTeam @node(labels: ["Team"]) ${limit} {
    id: ID!
    name: String
    formedAt: DateTime
    dissolvedAt: DateTime
    detachedAt: [DateTime!]
    placeholder: Boolean
    members: [ViewPerson!]! @relationship(type: "MEMBER_OF", direction: IN, properties: "ViewMembership")
    parents: [ViewTeam!]! @relationship(type: "CHILD_OF", direction: OUT, properties: "ViewTemporal")
    children: [ViewTeam!]! @relationship(type: "CHILD_OF", direction: IN, properties: "ViewTemporal")
    owns: [ViewService!]! @relationship(type: "OWNS", direction: OUT, properties: "ViewTemporal")
    onCall: [ViewPerson!]! @relationship(type: "ON_CALL", direction: IN, properties: "ViewOnCallShift")
    actionItems: [ViewActionItem!]! @relationship(type: "OWNED_BY", direction: IN)
  }

  type ViewService @node(labels: ["Service"]) ${limit} {
    id: ID!
    name: String
    "1 most critical .. 4"
    tier: Int
    registeredAt: DateTime
    retiredAt: DateTime
    placeholder: Boolean
    owners: [ViewTeam!]! @relationship(type: "OWNS", direction: IN, properties: "ViewTemporal")
    dependsOn: [ViewService!]! @relationship(type: "DEPENDS_ON", direction: OUT, properties: "ViewTemporal")
    dependents: [ViewService!]! @relationship(type: "DEPENDS_ON", direction: IN, properties: "ViewTemporal")
    incidents: [ViewIncident!]! @relationship(type: "IMPACTED", direction: IN, properties: "ViewImpact")
  }

  type ViewTimeZone @node(labels: ["TimeZone"]) ${limit} {
    "IANA name"
    name: String!
    people: [ViewPerson!]! @relationship(type: "IN_TIME_ZONE", direction: IN, properties: "ViewTemporal")
  }

  type ViewIncident @node(labels: ["Incident"]) ${limit} {
    id: ID!
    title: String
    severity: String
    status: String
    summary: String
    declaredAt: DateTime
    mitigatedAt: DateTime
    resolvedAt: DateTime
    resolvedTimes: [DateTime!]
    reopenedAt: DateTime
    reopenReason: String
    reopenTimes: [DateTime!]
    reopenCount: Int
    costAmount: Float
    costCurrency: String
    costBasis: String
    costEstimatedAt: DateTime
    placeholder: Boolean
    "teams owning, at declaredAt, a service the incident impacted (derived)"
    ownerIds: [String!]
    "people on those teams' shifts covering declaredAt (derived)"
    onCallIds: [String!]
    "Seconds from declaredAt to resolvedAt (null while unresolved); computed on read, sortable"
    durationSeconds: Int
      @cypher(
        statement: "RETURN CASE WHEN this.resolvedAt IS NULL OR this.declaredAt IS NULL THEN null ELSE duration.inSeconds(this.declaredAt, this.resolvedAt).seconds END AS result"
        columnName: "result"
      )
    responders: [ViewPerson!]! @relationship(type: "RESPONDED_TO", direction: IN, properties: "ViewResponse")
    engagements: [ViewPerson!]! @relationship(type: "ENGAGED", direction: IN, properties: "ViewEngagement")
    commanders: [ViewPerson!]! @relationship(type: "COMMANDED", direction: IN, properties: "ViewTemporal")
    declaredBy: [ViewPerson!]! @relationship(type: "DECLARED", direction: IN, properties: "ViewAt")
    paged: [ViewPerson!]! @relationship(type: "PAGED", direction: IN, properties: "ViewPage")
    impactedServices: [ViewService!]! @relationship(type: "IMPACTED", direction: OUT, properties: "ViewImpact")
    actionItems: [ViewActionItem!]! @relationship(type: "HAS_ACTION_ITEM", direction: OUT)
    contributingFactors: [ViewContributingFactor!]! @relationship(type: "HAS_FACTOR", direction: OUT)
    reviews: [ViewReview!]! @relationship(type: "HAS_REVIEW", direction: OUT)
  }

  type ViewActionItem @node(labels: ["ActionItem"]) ${limit} {
    "<incidentId>/<actionItemId>"
    key: ID!
    actionItemId: String
    incidentId: String
    title: String
    "open, completed, cancelled"
    status: String
    createdAt: DateTime
    dueAt: DateTime
    completedAt: DateTime
    cancelledAt: DateTime
    cancelReason: String
    placeholder: Boolean
    incident: [ViewIncident!]! @relationship(type: "HAS_ACTION_ITEM", direction: IN)
    owningTeam: [ViewTeam!]! @relationship(type: "OWNED_BY", direction: OUT)
    assignees: [ViewPerson!]! @relationship(type: "ASSIGNED_TO", direction: OUT)
  }

  type ViewContributingFactor @node(labels: ["ContributingFactor"]) ${limit} {
    "<incidentId>/<factorId>"
    key: ID!
    factorId: String
    incidentId: String
    description: String
    category: String
    identifiedAt: DateTime
    incident: [ViewIncident!]! @relationship(type: "HAS_FACTOR", direction: IN)
  }

  type ViewReview @node(labels: ["Review"]) ${limit} {
    "<incidentId>/<reviewId>"
    key: ID!
    reviewId: String
    incidentId: String
    url: String
    publishedAt: DateTime
    incident: [ViewIncident!]! @relationship(type: "HAS_REVIEW", direction: IN)
    authors: [ViewPerson!]! @relationship(type: "AUTHORED", direction: IN)
  }
`;
}
