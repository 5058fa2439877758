import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Driver } from 'neo4j-driver';
import { isIsoDateTimeWithOffset } from '@app/domain';
import { EntityReader } from '@app/graph';
import { CONFIG, NEO4J_DRIVER } from '../tokens';
import type { Config } from '@app/runtime';
import { apiError } from './errors';
import { Incident, Service, Team } from './models';
import { DateTimeScalar } from './scalars';

function checkAsOf(asOf: string | undefined): string | undefined {
  if (asOf !== undefined && asOf !== null && !isIsoDateTimeWithOffset(asOf)) {
    throw apiError('BAD_USER_INPUT', 'asOf must be an ISO-8601 date-time with Z or an offset', {
      fieldErrors: [{ field: 'asOf', rule: 'isIsoDateTimeWithOffset', message: 'asOf must be an ISO-8601 date-time with Z or an offset' }],
    });
  }
  return asOf ?? undefined;
}

@Resolver()
export class EntityResolver {
  private readonly reader: EntityReader;

  constructor(@Inject(NEO4J_DRIVER) driver: Driver, @Inject(CONFIG) config: Config) {
    this.reader = new EntityReader(driver, config.neo4j.database);
  }

  @Query(() => Incident, { nullable: true, description: 'An incident with its responders and impacted services (null if unknown)' })
  incident(@Args('id') id: string) {
    return this.reader.incident(id);
  }

  @Query(() => Team, { nullable: true, description: 'A team; members and parent as of `asOf` (default: now)' })
  team(@Args('id') id: string, @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: string) {
    return this.reader.team(id, checkAsOf(asOf));
  }

  @Query(() => Service, { nullable: true, description: 'A service; its owner as of `asOf` (default: now)' })
  service(@Args('id') id: string, @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: string) {
    return this.reader.service(id, checkAsOf(asOf));
  }
}
