import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { RuleViolation, ValidationFailed, type FieldError } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { importEventList, type LineProblem } from '@app/importers';
import { EVENT_STORE, LOGGER } from '../tokens';
import type { RequestContext } from './command.service';

/** Largest list importEvents takes; a longer history goes in several calls or through the CLI. */
export const MAX_IMPORT_EVENTS = 10_000;

export interface ImportEventsResult {
  appended: number;
  skippedDuplicates: number;
  lastPosition: string | null;
}

const fieldErrorsOf = (problems: LineProblem[]): FieldError[] => problems.map(({ field, rule, message }) => ({ field, rule, message }));

/**
 * importEvents: the list is checked whole (each event like its command, then against its stream)
 * and appended in one atomic batch, or refused whole with every problem named.
 */
@Injectable()
export class ImportService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async importEvents(events: readonly unknown[], context: RequestContext): Promise<ImportEventsResult> {
    if (events.length > MAX_IMPORT_EVENTS) {
      throw new ValidationFailed([
        { field: 'events', rule: 'arrayMaxSize', message: `importEvents takes at most ${MAX_IMPORT_EVENTS} events, got ${events.length}; split the list or use \`catalyst import events FILE\`` },
      ]);
    }
    const summary = await importEventList(this.store, events, {
      path: 'events',
      source: 'import:graphql',
      metadataDefaults: { actor: context.actor, correlationId: context.correlationId },
    });
    if (summary.problems.length > 0) {
      const fieldErrors = fieldErrorsOf(summary.problems);
      const omitted = summary.problemsOmitted > 0 ? ` (and ${summary.problemsOmitted} more)` : '';
      // A malformed event is the client's input; a well-formed one its stream refuses is a conflict.
      if (summary.problems.some((problem) => problem.kind === 'invalid')) throw new ValidationFailed(fieldErrors);
      throw new RuleViolation(fieldErrors[0].rule, `${summary.rejected} events break a rule of their stream${omitted}: ${fieldErrors[0].field}: ${fieldErrors[0].message}`, { fieldErrors });
    }
    this.logger.info(
      { events: events.length, appended: summary.appended, skippedDuplicates: summary.skippedDuplicates, lastPosition: summary.lastPosition, correlationId: context.correlationId },
      'events imported',
    );
    return { appended: summary.appended, skippedDuplicates: summary.skippedDuplicates, lastPosition: summary.lastPosition };
  }
}
