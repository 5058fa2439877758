import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';
import { IsEntityId } from '@app/domain';
import { Severity } from './models';
import { DateTimeScalar } from './scalars';

/**
 * GraphQL shapes of the analyses (libs/graph/src/analytics/types.ts; definitions in ANALYTICS.md and
 * docs/analytics.md). Figures are not rounded; a ratio with a zero denominator is null.
 */

@InputType({ description: '[from, to) on the incident\'s declaredAt (action items: created); an absent bound is open' })
export class AnalysisWindowInput {
  @Field(() => DateTimeScalar, { nullable: true }) from?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) to?: string | null;
}

@InputType({ description: 'A weakness found elsewhere (a chaos experiment, a review) and the service it is in' })
export class FindingInput {
  @Field() @IsString() @MaxLength(128) id!: string;
  @Field() @IsEntityId() serviceId!: string;
}

@ObjectType({ description: 'A window as the analysis used it' })
export class AnalysisWindow {
  @Field(() => DateTimeScalar, { nullable: true }) from!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) to!: string | null;
}

@ObjectType({ description: 'A person, team or service named in a result; name is null for a placeholder' })
export class EntityRef {
  @Field() id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
}

@ObjectType()
export class IncidentRef {
  @Field() id!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => DateTimeScalar) declaredAt!: string;
}

@ObjectType({ description: 'Median, nearest-rank p90 and max; null over an empty list' })
export class Stats {
  @Field(() => Float, { nullable: true }) median!: number | null;
  @Field(() => Float, { nullable: true }) p90!: number | null;
  @Field(() => Float, { nullable: true }) max!: number | null;
}

@ObjectType()
export class OutsiderResponder {
  @Field(() => EntityRef) person!: EntityRef;
  @Field(() => [IncidentRef], { description: 'Incidents of the service joined as an outsider' }) incidents!: IncidentRef[];
  @Field(() => [EntityRef], { description: 'Teams the person was a member of at those incidents' }) teams!: EntityRef[];
}

@ObjectType({ description: 'Who actually keeps a service running' })
export class ServiceResponse {
  @Field(() => EntityRef) service!: EntityRef;
  @Field(() => Int) incidents!: number;
  @Field(() => Int) engagements!: number;
  @Field(() => Int) outsiderEngagements!: number;
  @Field(() => Float, { nullable: true }) outsiderShare!: number | null;
  @Field(() => Float, { nullable: true }) topResponderShare!: number | null;
  @Field(() => [OutsiderResponder], { description: 'Up to 10, by outsider incidents desc, then id' }) topOutsiders!: OutsiderResponder[];
}

@ObjectType()
export class Hero {
  @Field(() => EntityRef) person!: EntityRef;
  @Field(() => Int) incidents!: number;
  @Field(() => Int) outsiderIncidents!: number;
  @Field(() => Int) teamsHelped!: number;
  @Field(() => [EntityRef]) helpedTeams!: EntityRef[];
  @Field(() => Int) offHoursIncidents!: number;
  @Field(() => Float, { nullable: true, description: 'incidents / all incidents in the window' }) share!: number | null;
}

@ObjectType()
export class TeamCollaborationEdge {
  @Field(() => EntityRef) teamA!: EntityRef;
  @Field(() => EntityRef) teamB!: EntityRef;
  @Field(() => Int) sharedIncidents!: number;
  @Field(() => Int, { nullable: true, description: 'Parent links through the lowest common ancestor; null when none' })
  orgDistance!: number | null;
}

@ObjectType()
export class IncidentZones {
  @Field(() => IncidentRef) incident!: IncidentRef;
  @Field(() => Int) zones!: number;
}

@ObjectType()
export class ZoneHandoff {
  @Field(() => IncidentRef) incident!: IncidentRef;
  @Field(() => EntityRef) from!: EntityRef;
  @Field(() => EntityRef) to!: EntityRef;
  @Field(() => DateTimeScalar) at!: string;
  @Field() fromTimeZone!: string;
  @Field() toTimeZone!: string;
  @Field(() => Int) fromOffsetMinutes!: number;
  @Field(() => Int) toOffsetMinutes!: number;
}

@ObjectType()
export class TeamOffHours {
  @Field(() => EntityRef) team!: EntityRef;
  @Field(() => Int) engagements!: number;
  @Field(() => Int) offHoursEngagements!: number;
  @Field(() => Float, { nullable: true }) offHoursShare!: number | null;
}

@ObjectType()
export class TimeZonesReport {
  @Field(() => [IncidentZones]) incidents!: IncidentZones[];
  @Field(() => [ZoneHandoff]) handoffsAcrossZones!: ZoneHandoff[];
  @Field(() => [TeamOffHours]) teams!: TeamOffHours[];
}

@ObjectType()
export class TeamActionItemDebt {
  @Field(() => EntityRef) team!: EntityRef;
  @Field(() => Int) created!: number;
  @Field(() => Int) completed!: number;
  @Field(() => Int) cancelled!: number;
  @Field(() => Int) open!: number;
  @Field(() => Int) overdue!: number;
  @Field(() => Float, { nullable: true }) completionRate!: number | null;
  @Field(() => Float, { nullable: true }) medianOpenAgeDays!: number | null;
}

@ObjectType()
export class DriftedIncident {
  @Field(() => IncidentRef) incident!: IncidentRef;
  @Field(() => [EntityRef], { description: 'People on the covering shifts' }) onCall!: EntityRef[];
  @Field(() => [EntityRef], { description: 'On-call people who never joined' }) absent!: EntityRef[];
  @Field(() => [EntityRef], { description: 'Everyone who joined' }) responders!: EntityRef[];
}

@ObjectType()
export class OnCallDriftReport {
  @Field(() => Int) covered!: number;
  @Field(() => Int) drifted!: number;
  @Field(() => Float, { nullable: true }) driftShare!: number | null;
  @Field(() => [DriftedIncident]) incidents!: DriftedIncident[];
}

@ObjectType()
export class PersonLoad {
  @Field(() => EntityRef) person!: EntityRef;
  @Field(() => Int) incidents!: number;
  @Field(() => Int) offHoursIncidents!: number;
  @Field(() => Float) responderHours!: number;
  @Field(() => Int) maxConcurrent!: number;
}

@ObjectType()
export class PersonPaging {
  @Field(() => EntityRef) person!: EntityRef;
  @Field(() => Int) pagedNotJoined!: number;
  @Field(() => Int) joinedUnpaged!: number;
}

@ObjectType()
export class TeamPaging {
  @Field(() => EntityRef) team!: EntityRef;
  @Field(() => Int) pagedNotJoined!: number;
  @Field(() => Int) joinedUnpaged!: number;
}

@ObjectType()
export class PagingVsPresenceReport {
  @Field(() => [PersonPaging]) people!: PersonPaging[];
  @Field(() => [TeamPaging]) teams!: TeamPaging[];
}

@ObjectType()
export class IncidentCoordination {
  @Field(() => IncidentRef) incident!: IncidentRef;
  @Field(() => Int) people!: number;
  @Field(() => Int) teams!: number;
  @Field(() => Float, { nullable: true }) minutesToFirstJoin!: number | null;
}

@ObjectType({ description: 'Never a mean: incident figures are heavy-tailed' })
export class CoordinationCostReport {
  @Field(() => Int) incidents!: number;
  @Field(() => Stats) people!: Stats;
  @Field(() => Stats) teams!: Stats;
  @Field(() => Stats) minutesToFirstJoin!: Stats;
  @Field(() => [IncidentCoordination]) slowestToFirstJoin!: IncidentCoordination[];
}

@ObjectType()
export class SeverityCount {
  @Field(() => Severity) severity!: Severity;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class CostAmount {
  @Field() currency!: string;
  @Field(() => Float) amount!: number;
}

@ObjectType({ description: 'Where systems are underwater' })
export class ServiceBurden {
  @Field(() => EntityRef) service!: EntityRef;
  @Field(() => Int) incidents!: number;
  @Field(() => [SeverityCount]) bySeverity!: SeverityCount[];
  @Field(() => Int, { description: 'SEV1 16, SEV2 8, SEV3 4, SEV4 2, SEV5 1' }) weightedIncidents!: number;
  @Field(() => Float) responderHours!: number;
  @Field(() => Int) people!: number;
  @Field(() => Int) teams!: number;
  @Field(() => Float, { nullable: true }) medianDurationMinutes!: number | null;
  @Field(() => [CostAmount]) cost!: CostAmount[];
}

@ObjectType()
export class PrioritizedFinding {
  @Field(() => Int) rank!: number;
  @Field() findingId!: string;
  @Field(() => ServiceBurden) burden!: ServiceBurden;
}

@ObjectType({ description: 'How many people a team needs' })
export class TeamLoad {
  @Field(() => EntityRef) team!: EntityRef;
  @Field(() => Int) members!: number;
  @Field(() => Int) incidents!: number;
  @Field(() => Float, { nullable: true }) incidentsPerMember!: number | null;
  @Field(() => Float) responderHours!: number;
  @Field(() => Float, { nullable: true }) offHoursShare!: number | null;
}

@ObjectType({ description: 'The org in theory against the org in practice, in one call' })
export class OrgDeltaReport {
  @Field(() => AnalysisWindow) window!: AnalysisWindow;
  @Field(() => [ServiceResponse], { description: 'outsiderShare >= 0.5 and at least 3 incidents' })
  servicesKeptByOutsiders!: ServiceResponse[];
  @Field(() => [Hero]) heroes!: Hero[];
  @Field(() => [TeamCollaborationEdge]) hiddenCoupling!: TeamCollaborationEdge[];
  @Field(() => [TeamActionItemDebt]) actionItemDebt!: TeamActionItemDebt[];
  @Field(() => OnCallDriftReport) onCallDrift!: OnCallDriftReport;
  @Field(() => PagingVsPresenceReport) pagingVsPresence!: PagingVsPresenceReport;
  @Field(() => [ServiceBurden]) serviceBurden!: ServiceBurden[];
  @Field(() => [TeamLoad]) teamLoad!: TeamLoad[];
}

@ObjectType()
export class PlaceholderReference {
  @Field({ description: 'PERSON, TEAM, SERVICE, INCIDENT, ACTION_ITEM, REVIEW, ...' }) kind!: string;
  @Field() id!: string;
  @Field() relationship!: string;
}

@ObjectType({ description: 'An id referenced but never registered' })
export class Placeholder {
  @Field() kind!: string;
  @Field() id!: string;
  @Field(() => [PlaceholderReference]) referencedBy!: PlaceholderReference[];
}

@ObjectType({ description: "A person and a team whose services the person responded to (the org in practice)" })
export class ResponseEdge {
  @Field(() => EntityRef) person!: EntityRef;
  @Field(() => EntityRef, { description: 'A team owning, at declaredAt, a service the incidents impacted' }) team!: EntityRef;
  @Field(() => Int, { description: 'Incidents in the window the person joined with a service of this team impacted' }) incidents!: number;
  @Field(() => Int, { description: 'Of those, joined as an outsider (none of the person\'s teams owned a service of the incident)' })
  outsiderIncidents!: number;
}

@ObjectType()
export class OrgTreeMember {
  @Field(() => EntityRef) person!: EntityRef;
  @Field(() => String, { nullable: true }) role!: string | null;
  @Field(() => DateTimeScalar) since!: string;
}

@ObjectType({ description: 'A team as of an instant: its parent, members and the services it owned then' })
export class OrgTreeTeam {
  @Field(() => EntityRef) team!: EntityRef;
  @Field(() => EntityRef, { nullable: true }) parent!: EntityRef | null;
  @Field(() => [OrgTreeMember]) members!: OrgTreeMember[];
  @Field(() => [EntityRef]) services!: EntityRef[];
}
