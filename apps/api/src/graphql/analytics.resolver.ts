import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { Driver } from 'neo4j-driver';
import { isEntityId, type FieldError } from '@app/domain';
import { CypherAnalytics, type AnalysisOptions, type Finding } from '@app/graph';
import type { Config } from '@app/runtime';
import { RequireRole } from '../auth/roles';
import { CONFIG, NEO4J_DRIVER } from '../tokens';
import {
  AnalysisWindowInput,
  CoordinationCostReport,
  FindingInput,
  Hero,
  OnCallDriftReport,
  OrgDeltaReport,
  OrgTreeTeam,
  PagingVsPresenceReport,
  PersonLoad,
  Placeholder,
  PrioritizedFinding,
  ResponseEdge,
  ServiceBurden,
  ServiceResponse,
  TeamActionItemDebt,
  TeamCollaborationEdge,
  TeamLoad,
  TimeZonesReport,
} from './analytics.models';
import { checkInstant, instantArgument, refuse } from './checks';
import { DateTimeScalar } from './scalars';

export const MAX_LIMIT = 1000;
export const MAX_FINDINGS = 1000;
/** Edges of the org in practice one call can return. */
export const MAX_EDGES = 10_000;
/** Lists of incidents an analysis can return (time zones, on-call drift). */
export const MAX_LIST = 100_000;
/** Checks the window (and `asOf`), naming each bad field; nothing runs with bad input. */
export function analysisOptions(window: AnalysisWindowInput | null | undefined, extra: { asOf?: string | null } = {}): AnalysisOptions & { asOf?: string } {
  const errors: FieldError[] = [];
  const from = checkInstant('window.from', window?.from, errors);
  const to = checkInstant('window.to', window?.to, errors);
  const asOf = checkInstant('asOf', extra.asOf, errors);
  if (from !== null && to !== null && Date.parse(to) < Date.parse(from)) {
    errors.push({ field: 'window.to', rule: 'notBeforeFrom', message: 'window.to must not be before window.from' });
  }
  if (errors.length > 0) refuse(errors);
  return { window: { from, to }, ...(asOf !== null ? { asOf } : {}) };
}

function checkLimit(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    refuse([{ field, rule: 'range', message: `${field} must be an integer from ${min} to ${max}` }]);
  }
  return value;
}

/**
 * The analyses of ANALYTICS.md (role analyst) and the org as of an instant (role viewer). Each one
 * is a named query of libs/graph/src/analytics; `window` is [from, to) on declaredAt everywhere.
 */
@Resolver()
export class AnalyticsResolver {
  private readonly analytics: CypherAnalytics;

  constructor(@Inject(NEO4J_DRIVER) driver: Driver, @Inject(CONFIG) config: Config) {
    this.analytics = new CypherAnalytics(driver, config.neo4j.database);
  }

  @RequireRole('analyst')
  @Query(() => ServiceResponse, { nullable: true, description: 'Who actually keeps this service running (null: unknown service)' })
  serviceResponse(@Args('serviceId') serviceId: string, @Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput) {
    if (!isEntityId(serviceId)) refuse([{ field: 'serviceId', rule: 'isEntityId', message: 'serviceId must be 1..128 characters of [A-Za-z0-9._:@-], starting with a letter or digit' }]);
    return this.analytics.serviceResponse(serviceId, analysisOptions(window));
  }

  @RequireRole('analyst')
  @Query(() => [Hero], { description: 'People by incidents joined (then id): outsider incidents, teams helped, off hours' })
  heroes(
    @Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput,
    @Args('limit', { type: () => Int, defaultValue: 10 }) limit = 10,
  ) {
    return this.analytics.heroes({ ...analysisOptions(window), limit: checkLimit('limit', limit, 1, MAX_LIMIT) });
  }

  @RequireRole('analyst')
  @Query(() => [TeamCollaborationEdge], { description: 'Pairs of teams whose members responded to the same incidents' })
  teamCollaboration(
    @Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput,
    @Args('minSharedIncidents', { type: () => Int, defaultValue: 1 }) minSharedIncidents = 1,
  ) {
    return this.analytics.teamCollaboration({
      ...analysisOptions(window),
      minSharedIncidents: checkLimit('minSharedIncidents', minSharedIncidents, 1, Number.MAX_SAFE_INTEGER),
    });
  }

  @RequireRole('analyst')
  @Query(() => [TeamCollaborationEdge], { description: 'Collaboration edges between teams far apart (orgDistance >= 3) or unrelated in the org tree' })
  hiddenCoupling(
    @Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput,
    @Args('limit', { type: () => Int, defaultValue: 10 }) limit = 10,
  ) {
    return this.analytics.hiddenCoupling({ ...analysisOptions(window), limit: checkLimit('limit', limit, 1, MAX_LIMIT) });
  }

  @RequireRole('analyst')
  @Query(() => TimeZonesReport, { description: 'Zones per incident, handoffs across UTC offsets, off-hours share per team' })
  timeZones(
    @Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput,
    @Args('limit', { type: () => Int, defaultValue: 100, description: 'How many incidents and handoffs to list (teams: all)' }) limit = 100,
  ) {
    return this.analytics.timeZones({ ...analysisOptions(window), listLimit: checkLimit('limit', limit, 1, MAX_LIST) });
  }

  @RequireRole('analyst')
  @Query(() => [TeamActionItemDebt], { description: 'Action items per owner team, created in the window, as of asOf (default now)' })
  actionItemDebt(
    @Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: string,
  ) {
    return this.analytics.actionItemDebt(analysisOptions(window, { asOf }));
  }

  @RequireRole('analyst')
  @Query(() => OnCallDriftReport, { description: 'Covered incidents whose on-call person never joined' })
  onCallDrift(
    @Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput,
    @Args('limit', { type: () => Int, defaultValue: 100, description: 'How many drifted incidents to list (the counts cover all)' }) limit = 100,
  ) {
    return this.analytics.onCallDrift({ ...analysisOptions(window), listLimit: checkLimit('limit', limit, 1, MAX_LIST) });
  }

  @RequireRole('analyst')
  @Query(() => [PersonLoad], { description: 'Who carries the load: by responder hours, then incidents, then id' })
  load(
    @Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput,
    @Args('limit', { type: () => Int, defaultValue: 10 }) limit = 10,
  ) {
    return this.analytics.load({ ...analysisOptions(window), limit: checkLimit('limit', limit, 1, MAX_LIMIT) });
  }

  @RequireRole('analyst')
  @Query(() => PagingVsPresenceReport, { description: 'Paged but never joined, joined but never paged; per person and per team' })
  pagingVsPresence(@Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput) {
    return this.analytics.pagingVsPresence(analysisOptions(window));
  }

  @RequireRole('analyst')
  @Query(() => CoordinationCostReport, { description: 'People, teams and minutes to first join per incident: median, p90, max' })
  coordinationCost(@Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput) {
    return this.analytics.coordinationCost(analysisOptions(window));
  }

  @RequireRole('analyst')
  @Query(() => [ServiceBurden], { description: 'Where systems are underwater: by weighted incidents, responder hours, id' })
  serviceBurden(
    @Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput,
    @Args('limit', { type: () => Int, defaultValue: 10 }) limit = 10,
  ) {
    return this.analytics.serviceBurden({ ...analysisOptions(window), limit: checkLimit('limit', limit, 1, MAX_LIMIT) });
  }

  @RequireRole('analyst')
  @Query(() => [TeamLoad], { description: 'Members, incidents and responder hours per team: how many people a team needs' })
  teamLoad(@Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput) {
    return this.analytics.teamLoad(analysisOptions(window));
  }

  @RequireRole('analyst')
  @Query(() => [PrioritizedFinding], { description: 'Findings ranked by the burden of their service (the order of serviceBurden)' })
  prioritizeFindings(
    @Args('findings', { type: () => [FindingInput] }) findings: FindingInput[],
    @Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput,
  ) {
    const errors: FieldError[] = [];
    if (findings.length > MAX_FINDINGS) errors.push({ field: 'findings', rule: 'arrayMaxSize', message: `findings must hold at most ${MAX_FINDINGS} items` });
    const seen = new Set<string>();
    findings.forEach((finding, index) => {
      if (finding.id.length < 1 || finding.id.length > 128) errors.push({ field: `findings.${index}.id`, rule: 'length', message: `findings.${index}.id must be 1..128 characters` });
      else if (seen.has(finding.id)) errors.push({ field: `findings.${index}.id`, rule: 'unique', message: `findings.${index}.id repeats ${finding.id}` });
      seen.add(finding.id);
      if (!isEntityId(finding.serviceId)) {
        errors.push({ field: `findings.${index}.serviceId`, rule: 'isEntityId', message: `findings.${index}.serviceId must be an entity id` });
      }
    });
    const options = analysisOptions(window);
    if (errors.length > 0) refuse(errors);
    return this.analytics.prioritizeFindings(findings.map((f): Finding => ({ id: f.id, serviceId: f.serviceId })), options);
  }

  @RequireRole('analyst')
  @Query(() => OrgDeltaReport, { description: 'The org in theory against the org in practice, in one call' })
  orgDelta(@Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput) {
    return this.analytics.orgDelta(analysisOptions(window));
  }

  @RequireRole('analyst')
  @Query(() => [Placeholder], { description: 'Ids referenced but never registered, with what referenced them' })
  placeholders() {
    return this.analytics.placeholders();
  }

  @RequireRole('analyst')
  @Query(() => [ResponseEdge], {
    description: 'The org in practice: who responded to which team\'s services, by incidents desc, then person id, then team id',
  })
  responseEdges(
    @Args('window', { type: () => AnalysisWindowInput, nullable: true }) window?: AnalysisWindowInput,
    @Args('minIncidents', { type: () => Int, defaultValue: 1 }) minIncidents = 1,
    @Args('limit', { type: () => Int, defaultValue: 1000, description: 'At most this many edges (1..10000)' }) limit = 1000,
  ) {
    return this.analytics.responseEdges({
      ...analysisOptions(window),
      minIncidents: checkLimit('minIncidents', minIncidents, 1, Number.MAX_SAFE_INTEGER),
      limit: checkLimit('limit', limit, 1, MAX_EDGES),
    });
  }

  @RequireRole('viewer')
  @Query(() => [OrgTreeTeam], { description: 'The org as of an instant (default now): teams, parents, members, owned services' })
  orgTree(@Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: string) {
    return this.analytics.orgTree(instantArgument('asOf', asOf) ?? new Date().toISOString());
  }
}
