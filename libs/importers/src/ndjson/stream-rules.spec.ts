import { parseEventLine, type ImportedEvent } from './parse-line';
import { acceptInto, checkStreamRules, emptyStream } from './stream-rules';

const INC = 'INC-7';
const at = (minute: number) => `2023-05-01T10:${String(minute).padStart(2, '0')}:00Z`;

function event(type: string, data: Record<string, unknown>, line = 1): ImportedEvent {
  const parsed = parseEventLine(JSON.stringify({ type, data }), line);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.event;
}

const declared = event('IncidentDeclared', { incidentId: INC, title: 'Checkout down', severity: 'SEV2', occurredAt: at(0) });
const joined = (personId: string, minute: number) => event('ResponderJoined', { incidentId: INC, personId, role: 'responder', occurredAt: at(minute) });
const resolved = event('IncidentResolved', { incidentId: INC, occurredAt: at(30) });

/** Given these events on the stream, when this one is imported, then these rule problems. */
function given(...history: ImportedEvent[]) {
  const entry = emptyStream(`incident-${INC}`);
  for (const past of history) acceptInto(entry, past);
  return { entry, when: (next: ImportedEvent) => checkStreamRules(next, entry.state).map((p) => [p.field, p.rule, p.kind]) };
}

describe('checkStreamRules', () => {
  it('accepts an event its command would decide', () => {
    expect(given().when(declared)).toEqual([]);
    expect(given(declared).when(joined('ana', 5))).toEqual([]);
  });

  it('refuses a second IncidentDeclared', () => {
    expect(given(declared).when(declared)).toEqual([['$', 'incident.alreadyDeclared', 'rule']]);
  });

  it('refuses ResponderJoined after IncidentResolved, but not after a reopening', () => {
    expect(given(declared, resolved).when(joined('ana', 40))).toEqual([['$', 'incident.resolved', 'rule']]);
    const reopened = event('IncidentReopened', { incidentId: INC, occurredAt: at(35) });
    expect(given(declared, resolved, reopened).when(joined('ana', 40))).toEqual([]);
  });

  it('refuses an event on a stream that does not exist yet, with the error code as the rule', () => {
    expect(given().when(joined('ana', 5))).toEqual([['$', 'NOT_FOUND', 'rule']]);
  });

  it('refuses a resolution before the declaration', () => {
    const early = event('IncidentResolved', { incidentId: INC, occurredAt: '2023-04-30T10:00:00Z' });
    expect(given(declared).when(early)).toEqual([['$', 'incident.resolvedBeforeDeclared', 'rule']]);
  });

  it('tracks the revision and the ids of what it accepted', () => {
    const { entry } = given(declared, joined('ana', 5));
    expect(entry.revision).toBe(1);
    expect(entry.ids).toEqual(new Set([declared.id, joined('ana', 5).id]));
  });

  it('knows the decider of every catalog category and refuses other streams', () => {
    for (const streamId of ['person-a', 'team-a', 'service-a', 'incident-a']) expect(emptyStream(streamId).revision).toBe(-1);
    expect(() => emptyStream('test-a')).toThrow(/not of a catalog category/);
  });
});
