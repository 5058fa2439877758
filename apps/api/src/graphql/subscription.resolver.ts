import { Inject } from '@nestjs/common';
import { Args, Context, Field, InputType, Subscription, Resolver } from '@nestjs/graphql';
import { isEventType } from '@app/domain';
import type { EventStore } from '@app/event-store';
import type { ProjectionStatus } from '../projection/projection-status';
import { eventStream } from '../streaming/event-stream';
import { progressStream } from '../streaming/progress-stream';
import { EVENT_STORE, PROJECTION_STATUS } from '../tokens';
import type { GraphQLContext } from './context';
import { apiError } from './errors';
import { Event } from './events.resolver';
import { ProjectionStatusInfo } from './models';
import { RequireRole } from '../auth/roles';

@InputType()
export class EventFilterInput {
  @Field(() => [String], { nullable: true, description: 'Event types, e.g. IncidentDeclared' }) types?: string[];
  @Field(() => [String], { nullable: true, description: 'Stream ids, e.g. incident-INC-1042' }) streamIds?: string[];
  @Field(() => [String], { nullable: true, description: 'Stream categories: person, team, service, incident' }) categories?: string[];
  @Field({ nullable: true, description: 'Catch up from the log after this position (exclusive), then go live' }) fromPosition?: string;
}

function checkFilter(filter: EventFilterInput = {}): EventFilterInput {
  const fieldErrors: { field: string; rule: string; message: string }[] = [];
  (filter.types ?? []).forEach((type, i) => {
    if (!isEventType(type)) fieldErrors.push({ field: `filter.types[${i}]`, rule: 'isEventType', message: `unknown event type ${type}` });
  });
  if (filter.fromPosition != null && !/^\d{1,20}$/.test(filter.fromPosition)) {
    fieldErrors.push({ field: 'filter.fromPosition', rule: 'isPosition', message: 'must be a decimal position' });
  }
  for (const key of ['types', 'streamIds', 'categories'] as const) {
    if ((filter[key]?.length ?? 0) > 100) fieldErrors.push({ field: `filter.${key}`, rule: 'maxSize', message: 'at most 100 values' });
  }
  if (fieldErrors.length) {
    throw apiError('BAD_USER_INPUT', `Invalid filter: ${fieldErrors.map((e) => `${e.field} (${e.rule})`).join(', ')}`, { fieldErrors });
  }
  return filter;
}

@Resolver()
export class SubscriptionResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATUS) private readonly status: ProjectionStatus,
  ) {}

  @RequireRole('viewer')
  @Subscription(() => Event, {
    name: 'events',
    description:
      'Every new event, upcast, in position order; with fromPosition it first catches up from the log. ' +
      'A client that does not keep up is closed with a message naming the position to resume from.',
    resolve: (event: Event) => event,
  })
  events(@Args('filter', { type: () => EventFilterInput, nullable: true }) filter: EventFilterInput | undefined, @Context() ctx: GraphQLContext) {
    const { types, streamIds, categories, fromPosition } = checkFilter(filter ?? {});
    const socket = ctx.socket;
    return eventStream(this.store, {
      fromPosition: fromPosition ?? undefined,
      filter: { types: types ?? undefined, streamIds: streamIds ?? undefined, categories: categories ?? undefined },
      bufferedBytes: socket ? () => socket.bufferedAmount : undefined,
    });
  }

  @RequireRole('viewer')
  @Subscription(() => ProjectionStatusInfo, { description: 'Projection position and lag as they change', resolve: (s: ProjectionStatusInfo) => s })
  projectionProgress() {
    return progressStream(this.status, this.store);
  }
}
