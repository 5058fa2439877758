import { NotFound, RuleViolation } from '../errors';
import type { IncidentDeclared, ResponderRole } from '../events';
import { DeciderSpecification, rule } from '../testing/decider-specification';
import { fold } from './decider';
import { INCIDENT_COMMANDS, incidentDecider, type IncidentCommand, type IncidentEvent } from './incident';

const incidentId = 'INC-1042';
/** 10:00+01:00 is 09:00Z: the offset cases below depend on it. */
const declaredAt = '2026-03-01T10:00:00+01:00';
const at = '2026-03-01T09:10:00Z';
const later = '2026-03-01T11:00:00Z';

const declaredData: IncidentDeclared = {
  incidentId,
  title: 'Checkout returns 500',
  severity: 'SEV2',
  declaredBy: 'ana',
  impactedServiceIds: ['checkout'],
  occurredAt: declaredAt,
};

const declared: IncidentEvent = { type: 'IncidentDeclared', data: declaredData };
const joined = (personId: string, role: ResponderRole = 'responder'): IncidentEvent => ({
  type: 'ResponderJoined',
  data: { incidentId, personId, role, occurredAt: at },
});
const left = (personId: string): IncidentEvent => ({ type: 'ResponderLeft', data: { incidentId, personId, occurredAt: at } });
const handedOff = (fromPersonId: string, toPersonId: string): IncidentEvent => ({
  type: 'CommandHandedOff',
  data: { incidentId, fromPersonId, toPersonId, occurredAt: at },
});
const resolved: IncidentEvent = { type: 'IncidentResolved', data: { incidentId, occurredAt: later } };
const reopened: IncidentEvent = { type: 'IncidentReopened', data: { incidentId, reason: 'errors are back', occurredAt: later } };
const itemCreated = (actionItemId: string): IncidentEvent => ({
  type: 'ActionItemCreated',
  data: { incidentId, actionItemId, title: 'Add a canary', occurredAt: later },
});
const itemCompleted = (actionItemId: string): IncidentEvent => ({
  type: 'ActionItemCompleted',
  data: { incidentId, actionItemId, occurredAt: later },
});
const itemCancelled = (actionItemId: string): IncidentEvent => ({
  type: 'ActionItemCancelled',
  data: { incidentId, actionItemId, occurredAt: later },
});

const given = (...events: IncidentEvent[]) => DeciderSpecification.for(incidentDecider).given(events);

/** The event a command asks for, with the same payload: what every accepted command decides. */
function accepted(command: IncidentCommand): IncidentEvent[] {
  return [{ type: INCIDENT_COMMANDS[command.type], data: command.data } as IncidentEvent];
}

function handOff(fromPersonId: string, toPersonId: string): IncidentCommand {
  return { type: 'HandOffCommand', data: { incidentId, fromPersonId, toPersonId, occurredAt: at } };
}

function resolve(occurredAt: string): IncidentCommand {
  return { type: 'ResolveIncident', data: { incidentId, resolvedBy: 'ana', occurredAt } };
}

describe('incident decider', () => {
  describe('DeclareIncident', () => {
    it('declares a new incident', () => {
      given().when({ type: 'DeclareIncident', data: declaredData }).then([declared]);
    });

    it('refuses a second declaration: IncidentDeclared is the first event of the stream', () => {
      given(declared).when({ type: 'DeclareIncident', data: declaredData }).thenThrows(RuleViolation, rule('incident.alreadyDeclared'));
    });

    it('refuses to declare a resolved incident again', () => {
      given(declared, resolved).when({ type: 'DeclareIncident', data: declaredData }).thenThrows(RuleViolation, rule('incident.alreadyDeclared'));
    });
  });

  describe('on an incident that does not exist', () => {
    const commands: IncidentCommand[] = [
      { type: 'ChangeIncidentSeverity', data: { incidentId, severity: 'SEV1', occurredAt: at } },
      { type: 'MarkServiceImpacted', data: { incidentId, serviceId: 'search', occurredAt: at } },
      { type: 'PageResponder', data: { incidentId, personId: 'bob', occurredAt: at } },
      { type: 'AcknowledgePage', data: { incidentId, personId: 'bob', occurredAt: at } },
      { type: 'AddResponder', data: { incidentId, personId: 'bob', role: 'responder', occurredAt: at } },
      { type: 'RemoveResponder', data: { incidentId, personId: 'bob', occurredAt: at } },
      handOff('ana', 'bob'),
      { type: 'AddTimelineNote', data: { incidentId, noteId: 'n1', text: 'hello', occurredAt: at } },
      { type: 'IdentifyContributingFactor', data: { incidentId, factorId: 'f1', description: 'deploy', category: 'change', occurredAt: at } },
      { type: 'MitigateIncident', data: { incidentId, occurredAt: at } },
      resolve(later),
      { type: 'ReopenIncident', data: { incidentId, occurredAt: later } },
      { type: 'CreateActionItem', data: { incidentId, actionItemId: 'a1', title: 'Fix', occurredAt: later } },
      { type: 'CompleteActionItem', data: { incidentId, actionItemId: 'a1', occurredAt: later } },
      { type: 'CancelActionItem', data: { incidentId, actionItemId: 'a1', occurredAt: later } },
      { type: 'PublishReview', data: { incidentId, reviewId: 'r1', authorIds: ['ana'], occurredAt: later } },
      { type: 'EstimateIncidentCost', data: { incidentId, amount: 1000, currency: 'EUR', occurredAt: later } },
    ];

    it('covers every command but DeclareIncident', () => {
      expect(commands.map((c) => c.type).sort()).toEqual(
        Object.keys(INCIDENT_COMMANDS)
          .filter((name) => name !== 'DeclareIncident')
          .sort(),
      );
    });

    it.each(commands.map((command) => [command.type, command] as const))('refuses %s with NotFound', (_name, command) => {
      given().when(command).thenThrows(NotFound, (e) => e.details.incidentId === incidentId);
    });
  });

  describe('ChangeIncidentSeverity', () => {
    it('changes the severity', () => {
      const command: IncidentCommand = { type: 'ChangeIncidentSeverity', data: { incidentId, severity: 'SEV1', changedBy: 'ana', occurredAt: at } };
      given(declared).when(command).then(accepted(command));
    });

    it('refuses the severity the incident already has', () => {
      given(declared)
        .when({ type: 'ChangeIncidentSeverity', data: { incidentId, severity: 'SEV2', occurredAt: at } })
        .thenThrows(RuleViolation, rule('incident.severityUnchanged'));
    });

    it('refuses the severity it was last changed to', () => {
      given(declared, { type: 'IncidentSeverityChanged', data: { incidentId, severity: 'SEV1', occurredAt: at } })
        .when({ type: 'ChangeIncidentSeverity', data: { incidentId, severity: 'SEV1', occurredAt: later } })
        .thenThrows(RuleViolation, rule('incident.severityUnchanged'));
    });
  });

  describe('MarkServiceImpacted', () => {
    it('marks another service as impacted', () => {
      const command: IncidentCommand = { type: 'MarkServiceImpacted', data: { incidentId, serviceId: 'payments-api', occurredAt: at } };
      given(declared).when(command).then(accepted(command));
    });

    it('refuses a service named in the declaration', () => {
      given(declared)
        .when({ type: 'MarkServiceImpacted', data: { incidentId, serviceId: 'checkout', occurredAt: at } })
        .thenThrows(RuleViolation, rule('incident.serviceAlreadyImpacted'));
    });

    it('refuses a service already marked', () => {
      const command: IncidentCommand = { type: 'MarkServiceImpacted', data: { incidentId, serviceId: 'search', occurredAt: at } };
      given(declared, ...accepted(command)).when(command).thenThrows(RuleViolation, rule('incident.serviceAlreadyImpacted'));
    });
  });

  describe('PageResponder and AcknowledgePage', () => {
    it('pages a responder', () => {
      const command: IncidentCommand = { type: 'PageResponder', data: { incidentId, personId: 'bob', escalatedFromPersonId: 'ana', occurredAt: at } };
      given(declared).when(command).then(accepted(command));
    });

    it('records an acknowledgement', () => {
      const command: IncidentCommand = { type: 'AcknowledgePage', data: { incidentId, personId: 'bob', occurredAt: at } };
      given(declared).when(command).then(accepted(command));
    });
  });

  describe('AddResponder', () => {
    const command: IncidentCommand = { type: 'AddResponder', data: { incidentId, personId: 'bob', role: 'expert', occurredAt: at } };

    it('lets a person join', () => {
      given(declared).when(command).then(accepted(command));
    });

    it('refuses a person who is already responding', () => {
      given(declared, joined('bob', 'scribe'))
        .when(command)
        .thenThrows(RuleViolation, (e) => e.details.rule === 'incident.alreadyResponding' && e.details.personId === 'bob');
    });

    it('lets a person who left join again', () => {
      given(declared, joined('bob'), left('bob')).when(command).then(accepted(command));
    });

    it('refuses a join after resolution', () => {
      given(declared, resolved).when(command).thenThrows(RuleViolation, rule('incident.resolved'));
    });

    it('lets a person join once the incident is reopened', () => {
      given(declared, resolved, reopened).when(command).then(accepted(command));
    });
  });

  describe('RemoveResponder', () => {
    const command: IncidentCommand = { type: 'RemoveResponder', data: { incidentId, personId: 'bob', occurredAt: at } };

    it('lets a responder leave', () => {
      given(declared, joined('bob')).when(command).then(accepted(command));
    });

    it('refuses a person who never joined', () => {
      given(declared, joined('carol')).when(command).thenThrows(RuleViolation, rule('incident.notResponding'));
    });

    it('refuses a person who was only paged', () => {
      given(declared, { type: 'ResponderPaged', data: { incidentId, personId: 'bob', occurredAt: at } })
        .when(command)
        .thenThrows(RuleViolation, rule('incident.notResponding'));
    });

    it('refuses a person who already left', () => {
      given(declared, joined('bob'), left('bob')).when(command).thenThrows(RuleViolation, rule('incident.notResponding'));
    });
  });

  describe('HandOffCommand', () => {
    it('hands off from the commander who joined with role commander', () => {
      given(declared, joined('ana', 'commander'), joined('bob')).when(handOff('ana', 'bob')).then([handedOff('ana', 'bob')]);
    });

    it('refuses a hand-off from a responder who is not the commander', () => {
      given(declared, joined('ana', 'commander'), joined('bob'))
        .when(handOff('bob', 'carol'))
        .thenThrows(RuleViolation, (e) => e.details.rule === 'incident.notCommander' && e.details.commanderId === 'ana');
    });

    it('refuses a hand-off when nobody has taken command', () => {
      given(declared, joined('ana'))
        .when(handOff('ana', 'bob'))
        .thenThrows(RuleViolation, (e) => e.details.rule === 'incident.notCommander' && e.details.commanderId === null);
    });

    it('moves command to the person it was handed to', () => {
      given(declared, joined('ana', 'commander'), joined('bob'), handedOff('ana', 'bob'))
        .when(handOff('bob', 'carol'))
        .then([handedOff('bob', 'carol')]);
    });

    it('refuses a hand-off from the former commander', () => {
      given(declared, joined('ana', 'commander'), joined('bob'), handedOff('ana', 'bob'))
        .when(handOff('ana', 'carol'))
        .thenThrows(RuleViolation, (e) => e.details.rule === 'incident.notCommander' && e.details.commanderId === 'bob');
    });

    it('clears command when the commander leaves', () => {
      given(declared, joined('ana', 'commander'), joined('bob'), left('ana'))
        .when(handOff('ana', 'bob'))
        .thenThrows(RuleViolation, (e) => e.details.rule === 'incident.notCommander' && e.details.commanderId === null);
    });

    it('keeps command when someone else leaves', () => {
      given(declared, joined('ana', 'commander'), joined('bob'), left('bob')).when(handOff('ana', 'carol')).then([handedOff('ana', 'carol')]);
    });

    it('refuses a hand-off to the commander themself', () => {
      given(declared, joined('ana', 'commander')).when(handOff('ana', 'ana')).thenThrows(RuleViolation, rule('incident.handOffToSelf'));
    });
  });

  describe('AddTimelineNote', () => {
    const command: IncidentCommand = { type: 'AddTimelineNote', data: { incidentId, noteId: 'n1', text: 'Rolled back 4.2', authorId: 'ana', occurredAt: at } };

    it('adds a note', () => {
      given(declared).when(command).then(accepted(command));
    });

    it('refuses a note id that exists', () => {
      given(declared, ...accepted(command))
        .when({ ...command, data: { ...command.data, text: 'another text' } })
        .thenThrows(RuleViolation, (e) => e.details.rule === 'incident.noteExists' && e.details.id === 'n1');
    });
  });

  describe('IdentifyContributingFactor', () => {
    const command: IncidentCommand = {
      type: 'IdentifyContributingFactor',
      data: { incidentId, factorId: 'f1', description: 'Config pushed without canary', category: 'configuration', occurredAt: later },
    };

    it('identifies a factor', () => {
      given(declared).when(command).then(accepted(command));
    });

    it('refuses a factor id that exists', () => {
      given(declared, ...accepted(command)).when(command).thenThrows(RuleViolation, rule('incident.factorExists'));
    });
  });

  describe('MitigateIncident', () => {
    const command: IncidentCommand = { type: 'MitigateIncident', data: { incidentId, mitigatedBy: 'bob', occurredAt: at } };

    it('mitigates an active incident', () => {
      given(declared).when(command).then(accepted(command));
    });

    it('refuses a resolved incident', () => {
      given(declared, resolved).when(command).thenThrows(RuleViolation, rule('incident.resolved'));
    });
  });

  describe('ResolveIncident', () => {
    it('resolves an active incident', () => {
      given(declared).when(resolve(later)).then(accepted(resolve(later)));
    });

    it('refuses to resolve twice', () => {
      given(declared, resolved).when(resolve(later)).thenThrows(RuleViolation, rule('incident.alreadyResolved'));
    });

    it('resolves again after a reopen', () => {
      const again = resolve('2026-03-01T12:00:00Z');
      given(declared, resolved, reopened).when(again).then(accepted(again));
    });

    it('accepts a resolution at the declaration instant written with another offset', () => {
      given(declared).when(resolve('2026-03-01T09:00:00Z')).then(accepted(resolve('2026-03-01T09:00:00Z')));
    });

    it('accepts 09:30Z after a declaration at 10:00+01:00 (09:00Z)', () => {
      given(declared).when(resolve('2026-03-01T09:30:00Z')).then(accepted(resolve('2026-03-01T09:30:00Z')));
    });

    it('refuses 08:59Z after a declaration at 10:00+01:00 (09:00Z)', () => {
      given(declared)
        .when(resolve('2026-03-01T08:59:00Z'))
        .thenThrows(
          RuleViolation,
          (e) =>
            e.details.rule === 'incident.resolvedBeforeDeclared' &&
            e.details.declaredAt === declaredAt &&
            e.details.resolvedAt === '2026-03-01T08:59:00Z',
        );
    });
  });

  describe('ReopenIncident', () => {
    const command: IncidentCommand = { type: 'ReopenIncident', data: { incidentId, reason: 'errors are back', occurredAt: later } };

    it('reopens a resolved incident', () => {
      given(declared, resolved).when(command).then(accepted(command));
    });

    it('refuses an incident that is not resolved', () => {
      given(declared).when(command).thenThrows(RuleViolation, rule('incident.notResolved'));
    });

    it('refuses an incident that was already reopened', () => {
      given(declared, resolved, reopened).when(command).thenThrows(RuleViolation, rule('incident.notResolved'));
    });
  });

  describe('CreateActionItem', () => {
    const command: IncidentCommand = {
      type: 'CreateActionItem',
      data: { incidentId, actionItemId: 'a1', title: 'Add a canary', ownerTeamId: 'payments', dueAt: '2026-04-01T00:00:00Z', occurredAt: later },
    };

    it('creates an action item', () => {
      given(declared).when(command).then(accepted(command));
    });

    it('creates an action item after resolution', () => {
      given(declared, resolved).when(command).then(accepted(command));
    });

    it('refuses an action item id that exists', () => {
      given(declared, itemCreated('a1')).when(command).thenThrows(RuleViolation, rule('incident.actionItemExists'));
    });

    it('refuses an action item id that exists even once it is closed', () => {
      given(declared, itemCreated('a1'), itemCompleted('a1')).when(command).thenThrows(RuleViolation, rule('incident.actionItemExists'));
    });
  });

  describe('CompleteActionItem', () => {
    const complete: IncidentCommand = { type: 'CompleteActionItem', data: { incidentId, actionItemId: 'a1', occurredAt: later } };

    it('completes an open action item', () => {
      given(declared, itemCreated('a1')).when(complete).then([itemCompleted('a1')]);
    });

    it('completes an open action item after resolution', () => {
      given(declared, itemCreated('a1'), resolved).when(complete).then([itemCompleted('a1')]);
    });

    it('refuses an unknown action item with NotFound', () => {
      given(declared, itemCreated('a2')).when(complete).thenThrows(NotFound, (e) => e.details.actionItemId === 'a1');
    });

    it('refuses an item that is already completed', () => {
      given(declared, itemCreated('a1'), itemCompleted('a1'))
        .when(complete)
        .thenThrows(RuleViolation, (e) => e.details.rule === 'actionItem.notOpen' && e.details.status === 'completed');
    });

    it('refuses an item that was cancelled', () => {
      given(declared, itemCreated('a1'), itemCancelled('a1'))
        .when(complete)
        .thenThrows(RuleViolation, (e) => e.details.rule === 'actionItem.notOpen' && e.details.status === 'cancelled');
    });
  });

  describe('CancelActionItem', () => {
    const cancel: IncidentCommand = { type: 'CancelActionItem', data: { incidentId, actionItemId: 'a1', reason: 'superseded', occurredAt: later } };

    it('cancels an open action item', () => {
      given(declared, itemCreated('a1')).when(cancel).then(accepted(cancel));
    });

    it('refuses an unknown action item with NotFound', () => {
      given(declared).when(cancel).thenThrows(NotFound, (e) => e.details.actionItemId === 'a1');
    });

    it('refuses to cancel a completed item', () => {
      given(declared, itemCreated('a1'), itemCompleted('a1')).when(cancel).thenThrows(RuleViolation, rule('actionItem.notOpen'));
    });

    it('refuses to cancel twice', () => {
      given(declared, itemCreated('a1'), itemCancelled('a1')).when(cancel).thenThrows(RuleViolation, rule('actionItem.notOpen'));
    });
  });

  describe('PublishReview', () => {
    const command: IncidentCommand = {
      type: 'PublishReview',
      data: { incidentId, reviewId: 'r1', authorIds: ['ana', 'bob'], url: 'https://wiki.example.com/r1', occurredAt: later },
    };

    it('publishes a review', () => {
      given(declared, resolved).when(command).then(accepted(command));
    });

    it('refuses a review id that exists', () => {
      given(declared, resolved, ...accepted(command)).when(command).thenThrows(RuleViolation, rule('incident.reviewExists'));
    });
  });

  describe('EstimateIncidentCost', () => {
    const command: IncidentCommand = { type: 'EstimateIncidentCost', data: { incidentId, amount: 12_500, currency: 'EUR', basis: 'lost orders', occurredAt: later } };

    it('records an estimate', () => {
      given(declared, resolved).when(command).then(accepted(command));
    });

    it('records a later estimate that replaces the earlier one', () => {
      const revised: IncidentCommand = { ...command, data: { ...command.data, amount: 20_000 } };
      given(declared, resolved, ...accepted(command)).when(revised).then(accepted(revised));
    });
  });

  describe('evolve', () => {
    it('folds a stream into the incident state', () => {
      const state = fold(incidentDecider, [
        declared,
        { type: 'IncidentSeverityChanged', data: { incidentId, severity: 'SEV1', occurredAt: at } },
        { type: 'ServiceImpacted', data: { incidentId, serviceId: 'search', occurredAt: at } },
        { type: 'ResponderPaged', data: { incidentId, personId: 'bob', occurredAt: at } },
        joined('ana', 'commander'),
        joined('bob'),
        joined('carol', 'scribe'),
        handedOff('ana', 'bob'),
        left('carol'),
        { type: 'TimelineNoteAdded', data: { incidentId, noteId: 'n1', text: 'rolled back', occurredAt: at } },
        { type: 'ContributingFactorIdentified', data: { incidentId, factorId: 'f1', description: 'deploy', category: 'change', occurredAt: at } },
        { type: 'IncidentMitigated', data: { incidentId, occurredAt: at } },
        resolved,
        itemCreated('a1'),
        itemCreated('a2'),
        itemCreated('a3'),
        itemCompleted('a1'),
        itemCancelled('a2'),
        { type: 'ReviewPublished', data: { incidentId, reviewId: 'r1', authorIds: ['ana'], occurredAt: later } },
        { type: 'IncidentCostEstimated', data: { incidentId, amount: 100, currency: 'EUR', occurredAt: later } },
      ]);
      expect(state).toEqual({
        status: 'resolved',
        incidentId,
        title: 'Checkout returns 500',
        severity: 'SEV1',
        declaredAt,
        resolvedAt: later,
        responders: new Map<string, ResponderRole>([
          ['ana', 'commander'],
          ['bob', 'responder'],
        ]),
        commanderId: 'bob',
        impactedServiceIds: new Set(['checkout', 'search']),
        actionItems: new Map([
          ['a1', 'completed'],
          ['a2', 'cancelled'],
          ['a3', 'open'],
        ]),
        noteIds: new Set(['n1']),
        factorIds: new Set(['f1']),
        reviewIds: new Set(['r1']),
      });
    });

    it('clears resolvedAt on reopen', () => {
      const state = fold(incidentDecider, [declared, resolved, reopened]);
      expect(state).toMatchObject({ status: 'active', resolvedAt: null });
    });

    it('clears the commander when the commander leaves', () => {
      expect(fold(incidentDecider, [declared, joined('ana', 'commander'), left('ana')])).toMatchObject({ commanderId: null, responders: new Map() });
    });

    it('ignores events that arrive before the declaration', () => {
      expect(fold(incidentDecider, [joined('ana', 'commander'), resolved])).toEqual({ status: 'none' });
    });
  });
});
