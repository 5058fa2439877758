import { Inject } from '@nestjs/common';
import { Args, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { isEntityId, upcast, type RecordedEvent } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE } from '../tokens';
import { apiError } from './errors';
import { DateTimeScalar, JSONScalar } from './scalars';
import { RequireRole } from '../auth/roles';

@ObjectType({ description: 'One event of the log, upcast to the current schema version' })
export class Event {
  @Field() id!: string;
  @Field() type!: string;
  @Field() streamId!: string;
  @Field(() => Int, { description: '0-based position inside its stream' }) revision!: number;
  @Field({ description: 'Global position in the log (64-bit, decimal string)' }) position!: string;
  @Field(() => JSONScalar) data!: Record<string, unknown>;
  @Field(() => JSONScalar) metadata!: Record<string, unknown>;
  @Field(() => DateTimeScalar) recordedAt!: string;
}

@ObjectType()
export class EventEdge {
  @Field({ description: 'The revision (stream reads) or the position (log reads) of the event' }) cursor!: string;
  @Field(() => Event) node!: Event;
}

@ObjectType()
export class EventPageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class EventConnection {
  @Field(() => [EventEdge]) edges!: EventEdge[];
  @Field(() => EventPageInfo) pageInfo!: EventPageInfo;
}

const MAX_PAGE = 1000;
const DECIMAL = /^\d{1,20}$/;

function badInput(field: string, rule: string, message: string) {
  return apiError('BAD_USER_INPUT', `${field}: ${message}`, { fieldErrors: [{ field, rule, message }] });
}

@Resolver()
export class EventsResolver {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @RequireRole('viewer')
  @Query(() => EventConnection, {
    description: 'The raw log, upcast: one stream (streamId) or the whole log after a position (fromPosition, exclusive)',
  })
  async events(
    @Args('streamId', { nullable: true }) streamId?: string,
    @Args('fromPosition', { nullable: true, description: 'Exclusive: events after this position' }) fromPosition?: string,
    @Args('first', { type: () => Int, defaultValue: 100, description: `1..${MAX_PAGE}` }) first = 100,
    @Args('after', { nullable: true, description: 'endCursor of the previous page' }) after?: string,
  ): Promise<EventConnection> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput('first', 'range', `must be between 1 and ${MAX_PAGE}`);
    if (streamId != null && fromPosition != null) throw badInput('fromPosition', 'exclusive', 'give streamId or fromPosition, not both');
    if (fromPosition != null && !DECIMAL.test(fromPosition)) throw badInput('fromPosition', 'isPosition', 'must be a decimal position');
    if (after != null && !DECIMAL.test(after)) throw badInput('after', 'isCursor', 'must be a cursor returned as endCursor');

    let events: RecordedEvent[];
    let cursorOf: (event: RecordedEvent) => string;
    if (streamId != null) {
      const dash = streamId.indexOf('-');
      if (dash < 1 || !isEntityId(streamId.slice(dash + 1))) throw badInput('streamId', 'isStreamId', 'must be <category>-<entityId>');
      events = await this.store.readStream(streamId, { fromRevision: after != null ? Number(after) + 1 : 0, maxCount: first + 1 });
      cursorOf = (event) => String(event.revision);
    } else {
      events = await this.store.readAll({ fromPosition: after ?? fromPosition ?? '0', maxCount: first + 1 });
      cursorOf = (event) => event.position;
    }
    const page = events.slice(0, first).map((event) => upcast(event));
    return {
      edges: page.map((node) => ({ cursor: cursorOf(node), node: node as Event })),
      pageInfo: { hasNextPage: events.length > first, endCursor: page.length ? cursorOf(page[page.length - 1]) : (after ?? null) },
    };
  }
}
