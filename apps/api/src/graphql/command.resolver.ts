import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandService } from '../commands/command.service';
import type { GraphQLContext } from './context';
import {
  ActionItemInput,
  AddResponderInput,
  AddTeamMemberInput,
  AddTimelineNoteInput,
  AssignServiceOwnerInput,
  CancelActionItemInput,
  ChangeIncidentSeverityInput,
  CreateActionItemInput,
  DeclareIncidentInput,
  DissolveTeamInput,
  EstimateIncidentCostInput,
  FormTeamInput,
  HandOffCommandInput,
  IdentifyContributingFactorInput,
  IncidentPersonInput,
  MarkServiceImpactedInput,
  MitigateIncidentInput,
  PageResponderInput,
  PublishReviewInput,
  RegisterPersonInput,
  RegisterServiceInput,
  RemoveTeamMemberInput,
  RenameTeamInput,
  ReopenIncidentInput,
  ReparentTeamInput,
  ResolveIncidentInput,
  RetireServiceInput,
  ScheduleOnCallShiftInput,
  ServiceDependencyInput,
  UpdatePersonInput,
} from './inputs';
import { CommandResult } from './models';
import { RequireRole } from '../auth/roles';

/** One mutation per command of API.md; each only delegates to the CommandService. */
@Resolver()
export class CommandResolver {
  constructor(private readonly commands: CommandService) {}

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'PersonRegistered' })
  registerPerson(@Args('input') input: RegisterPersonInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('registerPerson', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'PersonUpdated: name, email or time zone (a time zone change is history)' })
  updatePerson(@Args('input') input: UpdatePersonInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('updatePerson', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'TeamFormed' })
  formTeam(@Args('input') input: FormTeamInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('formTeam', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'TeamRenamed' })
  renameTeam(@Args('input') input: RenameTeamInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('renameTeam', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'TeamReparented' })
  reparentTeam(@Args('input') input: ReparentTeamInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('reparentTeam', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'TeamDissolved' })
  dissolveTeam(@Args('input') input: DissolveTeamInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('dissolveTeam', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'TeamMemberAdded' })
  addTeamMember(@Args('input') input: AddTeamMemberInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('addTeamMember', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'TeamMemberRemoved' })
  removeTeamMember(@Args('input') input: RemoveTeamMemberInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('removeTeamMember', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ServiceRegistered' })
  registerService(@Args('input') input: RegisterServiceInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('registerService', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ServiceOwnershipAssigned: the team owns the service from occurredAt on' })
  assignServiceOwner(@Args('input') input: AssignServiceOwnerInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('assignServiceOwner', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ServiceDependencyAdded' })
  addServiceDependency(@Args('input') input: ServiceDependencyInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('addServiceDependency', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ServiceDependencyRemoved' })
  removeServiceDependency(@Args('input') input: ServiceDependencyInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('removeServiceDependency', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ServiceRetired' })
  retireService(@Args('input') input: RetireServiceInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('retireService', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'OnCallShiftScheduled' })
  scheduleOnCallShift(@Args('input') input: ScheduleOnCallShiftInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('scheduleOnCallShift', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'IncidentDeclared' })
  declareIncident(@Args('input') input: DeclareIncidentInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('declareIncident', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'IncidentSeverityChanged' })
  changeIncidentSeverity(@Args('input') input: ChangeIncidentSeverityInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('changeIncidentSeverity', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ServiceImpacted' })
  markServiceImpacted(@Args('input') input: MarkServiceImpactedInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('markServiceImpacted', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ResponderPaged' })
  pageResponder(@Args('input') input: PageResponderInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('pageResponder', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ResponderAcknowledged' })
  acknowledgePage(@Args('input') input: IncidentPersonInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('acknowledgePage', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ResponderJoined' })
  addResponder(@Args('input') input: AddResponderInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('addResponder', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ResponderLeft' })
  removeResponder(@Args('input') input: IncidentPersonInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('removeResponder', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'CommandHandedOff: only from the current commander' })
  handOffCommand(@Args('input') input: HandOffCommandInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('handOffCommand', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'TimelineNoteAdded' })
  addTimelineNote(@Args('input') input: AddTimelineNoteInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('addTimelineNote', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ContributingFactorIdentified' })
  identifyContributingFactor(@Args('input') input: IdentifyContributingFactorInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('identifyContributingFactor', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'IncidentMitigated' })
  mitigateIncident(@Args('input') input: MitigateIncidentInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('mitigateIncident', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'IncidentResolved' })
  resolveIncident(@Args('input') input: ResolveIncidentInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('resolveIncident', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'IncidentReopened' })
  reopenIncident(@Args('input') input: ReopenIncidentInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('reopenIncident', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ActionItemCreated' })
  createActionItem(@Args('input') input: CreateActionItemInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('createActionItem', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ActionItemCompleted' })
  completeActionItem(@Args('input') input: ActionItemInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('completeActionItem', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ActionItemCancelled' })
  cancelActionItem(@Args('input') input: CancelActionItemInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('cancelActionItem', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'ReviewPublished' })
  publishReview(@Args('input') input: PublishReviewInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('publishReview', input, ctx.request);
  }

  @RequireRole('writer')
  @Mutation(() => CommandResult, { description: 'IncidentCostEstimated' })
  estimateIncidentCost(@Args('input') input: EstimateIncidentCostInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('estimateIncidentCost', input, ctx.request);
  }
}
