import pino, { type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';

/** Structured JSON logs on stdout (pino); one logger per process. */
export function createLogger(level: string, name = 'catalyst'): Logger {
  return pino({ name, level, base: { pid: process.pid, service: name } });
}

/** Lets Nest write through pino, so every line of the process is structured. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
