import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { ProjectionStatus } from './projection/projection-status';
import { PROJECTION_STATUS } from './tokens';

@Controller()
export class HealthController {
  constructor(@Inject(PROJECTION_STATUS) private readonly status: ProjectionStatus) {}

  /** Liveness: the process answers. */
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  /** Readiness: the projection has no recorded error (a stopped projection serves stale reads). */
  @Get('ready')
  async ready() {
    const lastError = this.status.lastError();
    const position = await this.status.position();
    if (lastError) {
      throw new HttpException({ status: 'degraded', position, lastError }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ready', position };
  }
}
