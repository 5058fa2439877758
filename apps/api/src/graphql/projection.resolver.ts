import { Inject } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import type { EventStore } from '@app/event-store';
import type { ProjectionStatus } from '../projection/projection-status';
import { EVENT_STORE, PROJECTION_STATUS } from '../tokens';
import { ProjectionStatusInfo } from './models';
import { RequireRole } from '../auth/roles';

@Resolver()
export class ProjectionResolver {
  constructor(
    @Inject(PROJECTION_STATUS) private readonly status: ProjectionStatus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @RequireRole('viewer')
  @Query(() => ProjectionStatusInfo)
  async projection(): Promise<ProjectionStatusInfo> {
    const [position, headPosition] = await Promise.all([this.status.position(), this.store.headPosition()]);
    const lag = BigInt(headPosition) - BigInt(position);
    return { position, headPosition, lag: (lag > 0n ? lag : 0n).toString(), lastError: this.status.lastError() };
  }
}
