import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandService } from '../commands/command.service';
import type { GraphQLContext } from './context';
import {
  AddResponderInput,
  AddTeamMemberInput,
  AssignServiceOwnerInput,
  DeclareIncidentInput,
  FormTeamInput,
  RegisterPersonInput,
  RegisterServiceInput,
  ResolveIncidentInput,
} from './inputs';
import { CommandResult } from './models';

@Resolver()
export class CommandResolver {
  constructor(private readonly commands: CommandService) {}

  @Mutation(() => CommandResult, { description: 'PersonRegistered' })
  registerPerson(@Args('input') input: RegisterPersonInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('registerPerson', input, ctx.request);
  }

  @Mutation(() => CommandResult, { description: 'TeamFormed' })
  formTeam(@Args('input') input: FormTeamInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('formTeam', input, ctx.request);
  }

  @Mutation(() => CommandResult, { description: 'TeamMemberAdded' })
  addTeamMember(@Args('input') input: AddTeamMemberInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('addTeamMember', input, ctx.request);
  }

  @Mutation(() => CommandResult, { description: 'ServiceRegistered' })
  registerService(@Args('input') input: RegisterServiceInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('registerService', input, ctx.request);
  }

  @Mutation(() => CommandResult, { description: 'ServiceOwnershipAssigned: the team owns the service from occurredAt on' })
  assignServiceOwner(@Args('input') input: AssignServiceOwnerInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('assignServiceOwner', input, ctx.request);
  }

  @Mutation(() => CommandResult, { description: 'IncidentDeclared' })
  declareIncident(@Args('input') input: DeclareIncidentInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('declareIncident', input, ctx.request);
  }

  @Mutation(() => CommandResult, { description: 'ResponderJoined' })
  addResponder(@Args('input') input: AddResponderInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('addResponder', input, ctx.request);
  }

  @Mutation(() => CommandResult, { description: 'IncidentResolved' })
  resolveIncident(@Args('input') input: ResolveIncidentInput, @Context() ctx: GraphQLContext) {
    return this.commands.execute('resolveIncident', input, ctx.request);
  }
}
