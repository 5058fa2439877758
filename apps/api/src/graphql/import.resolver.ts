import { Args, Context, Field, InputType, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { ImportService } from '../commands/import.service';
import type { GraphQLContext } from './context';
import { JSONScalar } from './scalars';
import { RequireRole } from '../auth/roles';

@InputType({ description: 'One event of an import, as in an NDJSON line (EVENTS.md, Envelope): only type and data are required' })
export class EventInput {
  @Field(() => String, { nullable: true, description: 'UUID; defaults to a UUIDv5 of the content, so importing the same events again appends nothing' })
  id?: string | null;
  @Field({ description: 'An event type of the catalog, e.g. IncidentDeclared' })
  type!: string;
  @Field(() => String, { nullable: true, description: '<category>-<entityId>; defaults from the entity id in data, and must match it' })
  streamId?: string | null;
  @Field(() => JSONScalar, { description: 'The payload, with occurredAt' })
  data!: unknown;
  @Field(() => JSONScalar, { nullable: true, description: 'schemaVersion, correlationId, causationId, actor, source (default import:graphql)' })
  metadata?: unknown;
}

@ObjectType({ description: 'What an import appended' })
export class ImportResult {
  @Field(() => Int) appended!: number;
  @Field(() => Int, { description: 'Events the log already had (same id in the same stream)' }) skippedDuplicates!: number;
  @Field(() => String, { nullable: true, description: 'Position of the last appended event (null when nothing was appended); send it as X-Min-Position' })
  lastPosition!: string | null;
}

@Resolver()
export class ImportResolver {
  constructor(private readonly imports: ImportService) {}

  @RequireRole('writer')
  @Mutation(() => ImportResult, {
    description: 'Appends history in order, checked like the commands; all or nothing: any bad event refuses the whole list (at most 10,000)',
  })
  importEvents(@Args('events', { type: () => [EventInput] }) events: EventInput[], @Context() ctx: GraphQLContext) {
    return this.imports.importEvents(events.map((event) => ({ ...event })), ctx.request);
  }
}
