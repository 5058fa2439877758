import { Controller, Get, Header, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Driver } from 'neo4j-driver';
import type { Registry } from 'prom-client';
import type { EventStore } from '@app/event-store';
import type { ProjectionStatus } from './projection/projection-status';
import { EVENT_STORE, METRICS, NEO4J_DRIVER, PROJECTION_STATUS } from './tokens';

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(PROJECTION_STATUS) private readonly status: ProjectionStatus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(METRICS) private readonly metrics: Registry,
  ) {}

  /** Liveness: the process answers. */
  @Get('health/live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up({ pid: process.pid })]);
  }

  /** Readiness: the log and Neo4j answer, and the projection has no recorded error. */
  @Get('health/ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      async () => {
        const check = this.indicators.check('eventStore');
        try {
          return check.up({ headPosition: await this.store.headPosition() });
        } catch (error) {
          return check.down({ message: (error as Error).message });
        }
      },
      async () => {
        const check = this.indicators.check('neo4j');
        try {
          await this.driver.verifyConnectivity();
          return check.up();
        } catch (error) {
          return check.down({ message: (error as Error).message });
        }
      },
      async () => {
        const check = this.indicators.check('projection');
        const details = { state: this.status.state(), position: await this.status.position(), lastError: this.status.lastError() };
        const healthy = details.lastError === null && details.state !== 'failed' && details.state !== 'stopped';
        return healthy ? check.up(details) : check.down(details);
      },
    ]);
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape() {
    return this.metrics.metrics();
  }
}
