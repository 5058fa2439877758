import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { COMMANDS, prepareCommand, validateInput, type CommandName, type CommandSpec } from '@app/domain';
import { handleCommand, type CommandResult, type EventStore } from '@app/event-store';
import { EVENT_STORE, LOGGER } from '../tokens';

export interface RequestContext {
  /** From the Idempotency-Key header; an input field of the same name wins. */
  idempotencyKey?: string;
  correlationId: string;
  actor: string;
}

/** Validate, decide, append: every command goes through here. */
@Injectable()
export class CommandService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(name: CommandName, input: object, context: RequestContext): Promise<CommandResult> {
    const spec = COMMANDS[name] as CommandSpec;
    const plain = { ...input } as Record<string, unknown>;
    if (plain.idempotencyKey == null && context.idempotencyKey !== undefined) plain.idempotencyKey = context.idempotencyKey;
    const fields = validateInput(spec.fields, plain);
    const prepared = prepareCommand(name, fields, new Date().toISOString());
    const result = await handleCommand(this.store, prepared, {
      metadata: { correlationId: context.correlationId, actor: context.actor, source: 'graphql' },
    });
    this.logger.info(
      { command: name, streamId: result.streamId, revision: result.revision, position: result.position, appended: result.appended, correlationId: context.correlationId },
      'command handled',
    );
    return result;
  }
}
