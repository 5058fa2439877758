import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import type { Driver } from 'neo4j-driver';
import { EntityReader, type IncidentView } from '@app/graph';
import { CONFIG, NEO4J_DRIVER } from '../tokens';
import type { Config } from '@app/runtime';
import { instantArgument } from './checks';
import { Incident, Service, Team } from './models';
import { DateTimeScalar } from './scalars';
import { RequireRole } from '../auth/roles';

@Resolver()
export class EntityResolver {
  private readonly reader: EntityReader;
  /** Per request (keyed by its context object): batches and de-duplicates incident reads. */
  private readonly incidentLoaders = new WeakMap<object, DataLoader<string, IncidentView | null>>();

  constructor(@Inject(NEO4J_DRIVER) driver: Driver, @Inject(CONFIG) config: Config) {
    this.reader = new EntityReader(driver, config.neo4j.database);
  }

  @RequireRole('viewer')
  @Query(() => Incident, { nullable: true, description: 'An incident with its responders and impacted services (null if unknown)' })
  incident(@Args('id') id: string, @Context() context: object) {
    // One statement for all the incident(id) fields of a request (aliases), not one per incident.
    let loader = this.incidentLoaders.get(context);
    if (!loader) {
      loader = new DataLoader((ids: readonly string[]) => this.reader.incidents(ids), { maxBatchSize: 1000 });
      this.incidentLoaders.set(context, loader);
    }
    return loader.load(id);
  }

  @RequireRole('viewer')
  @Query(() => Team, { nullable: true, description: 'A team; members and parent as of `asOf` (default: now)' })
  team(@Args('id') id: string, @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: string) {
    return this.reader.team(id, instantArgument('asOf', asOf));
  }

  @RequireRole('viewer')
  @Query(() => Service, { nullable: true, description: 'A service; its owner as of `asOf` (default: now)' })
  service(@Args('id') id: string, @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: string) {
    return this.reader.service(id, instantArgument('asOf', asOf));
  }
}
