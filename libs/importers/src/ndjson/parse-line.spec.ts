import { COMMAND_FOR_EVENT, COMMANDS, EVENT_TYPES, type CommandSpec, type EventType } from '@app/domain';
import { SAMPLE_COMMAND_INPUTS } from '@app/domain/testing/sample-commands';
import { canonicalJson, parseEventLine, parseEventObject, type ImportedEvent, type LineProblem, type ParsedLine } from './parse-line';

const PERSON = { personId: 'ana', name: 'Ana Lima', timeZone: 'Europe/Lisbon', occurredAt: '2024-01-02T09:00:00Z' };
const line = (value: unknown) => JSON.stringify(value);

function accepted(parsed: ParsedLine): ImportedEvent {
  if (!parsed.ok) throw new Error(`expected an event, got ${JSON.stringify(parsed.problems)}`);
  return parsed.event;
}

function problemsOf(parsed: ParsedLine): [string, string][] {
  if (parsed.ok) throw new Error(`expected problems, got ${JSON.stringify(parsed.event)}`);
  return parsed.problems.map((problem: LineProblem) => [problem.field, problem.rule]);
}

describe('parseEventLine: a good line', () => {
  it('needs only type and data: the stream comes from the entity id, the id from the content', () => {
    const event = accepted(parseEventLine(line({ type: 'PersonRegistered', data: PERSON }), 7));
    expect(event).toEqual({
      line: 7,
      ref: '$',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      type: 'PersonRegistered',
      streamId: 'person-ana',
      data: PERSON,
      metadata: { schemaVersion: 1, source: 'import:ndjson' },
    });
  });

  it('accepts a streamId equal to the derived one, an explicit id (lower-cased) and its own metadata', () => {
    const event = accepted(
      parseEventLine(
        line({
          id: 'A0B1C2D3-E4F5-4A6B-8C7D-9E0F1A2B3C4D',
          type: 'IncidentDeclared',
          streamId: 'incident-INC-1',
          data: { incidentId: 'INC-1', title: 'Checkout down', severity: 'SEV1', occurredAt: '2023-05-01T10:00:00+02:00' },
          metadata: { source: 'import:legacy', actor: 'ana', correlationId: 'c-1', custom: { note: 'kept' } },
        }),
        1,
      ),
    );
    expect(event.id).toBe('a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d');
    expect(event.streamId).toBe('incident-INC-1');
    expect(event.metadata).toEqual({ schemaVersion: 1, source: 'import:legacy', actor: 'ana', correlationId: 'c-1', custom: { note: 'kept' } });
  });

  it('treats null envelope fields as absent and leaves null payload fields out', () => {
    const event = accepted(parseEventLine(line({ id: null, streamId: null, metadata: null, type: 'PersonRegistered', data: { ...PERSON, email: null } }), 1));
    expect(event.data).toEqual(PERSON);
    expect(event.id).toBe(accepted(parseEventLine(line({ type: 'PersonRegistered', data: PERSON }), 1)).id);
  });

  it('writes a missing parent of TeamReparented as null (top level), like the command does', () => {
    const event = accepted(parseEventLine(line({ type: 'TeamReparented', data: { teamId: 'payments', occurredAt: '2024-01-01T00:00:00Z' } }), 1));
    expect(event.data).toEqual({ teamId: 'payments', parentTeamId: null, occurredAt: '2024-01-01T00:00:00Z' });
  });

  it('upcasts a v0 line before checking it, and stores it as the current version', () => {
    const v0 = accepted(
      parseEventLine(
        line({ type: 'ResponderJoined', data: { incidentId: 'INC-1', personId: 'ana', occurredAt: '2023-05-01T10:05:00Z' }, metadata: { schemaVersion: 0 } }),
        1,
      ),
    );
    expect(v0.data).toEqual({ incidentId: 'INC-1', personId: 'ana', role: 'responder', occurredAt: '2023-05-01T10:05:00Z' });
    expect(v0.metadata.schemaVersion).toBe(1);
    const v1 = accepted(parseEventLine(line({ type: 'ResponderJoined', data: v0.data }), 1));
    expect(v1.id).toBe(v0.id);
  });

  it('fills metadata defaults (the request) under what the line gives, and the source given by the caller', () => {
    const event = accepted(
      parseEventObject({ type: 'PersonRegistered', data: PERSON, metadata: { actor: 'bob' } }, 0, {
        path: 'events[0]',
        source: 'import:graphql',
        metadataDefaults: { actor: 'anonymous', correlationId: 'req-1' },
      }),
    );
    expect(event.metadata).toEqual({ schemaVersion: 1, source: 'import:graphql', actor: 'bob', correlationId: 'req-1' });
    expect(event.ref).toBe('events[0]');
  });

  it.each(EVENT_TYPES as EventType[])('parses a %s built from the sample command input', (type) => {
    const name = COMMAND_FOR_EVENT[type];
    const spec = COMMANDS[name] as CommandSpec;
    const data = { ...SAMPLE_COMMAND_INPUTS[name], occurredAt: '2024-02-03T04:05:06Z' };
    const event = accepted(parseEventLine(line({ type, data }), 1));
    expect(event.streamId).toBe(`${spec.category}-${spec.entityId(data)}`);
    expect(event.type).toBe(type);
  });
});

describe('parseEventLine: default ids', () => {
  const base = { type: 'PersonRegistered', data: PERSON };
  const idOf = (text: string) => accepted(parseEventLine(text, 1)).id;

  it('are the same for the same line, whatever the key order or spacing', () => {
    const reordered = `{ "data": { "timeZone": "Europe/Lisbon", "occurredAt": "2024-01-02T09:00:00Z", "name": "Ana Lima", "personId": "ana" },\t"type": "PersonRegistered" }`;
    expect(idOf(line(base))).toBe(idOf(line(base)));
    expect(idOf(reordered)).toBe(idOf(line(base)));
    expect(idOf(line({ ...base, streamId: 'person-ana' }))).toBe(idOf(line(base)));
  });

  it('differ when the content differs: payload, type or metadata', () => {
    const ids = new Set([
      idOf(line(base)),
      idOf(line({ ...base, data: { ...PERSON, occurredAt: '2024-01-02T09:00:01Z' } })),
      idOf(line({ type: 'PersonUpdated', data: PERSON })),
      idOf(line({ ...base, metadata: { actor: 'ana' } })),
    ]);
    expect(ids.size).toBe(4);
  });

  it('do not depend on the default source or the request metadata, so a file and a GraphQL list agree', () => {
    const fromList = accepted(parseEventObject(base, 0, { path: 'events[0]', source: 'import:graphql', metadataDefaults: { actor: 'x' } }));
    expect(fromList.id).toBe(idOf(line(base)));
  });

  it('canonicalJson sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: [{ z: 1, a: 2 }, 3], a: { d: null, c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":null},"b":[{"a":2,"z":1},3]}');
  });
});

describe('parseEventLine: every problem, with its field and rule', () => {
  const cases: [string, string, [string, string][]][] = [
    ['not JSON', '{"type": "PersonRegistered", ', [['$', 'isJson']]],
    ['not an object', '[1, 2]', [['$', 'isObject']]],
    ['a JSON string', '"PersonRegistered"', [['$', 'isObject']]],
    ['no type', line({ data: PERSON }), [['type', 'isDefined']]],
    ['an unknown type', line({ type: 'PersonTeleported', data: PERSON }), [['type', 'isEventType']]],
    ['an id that is not a UUID', line({ id: 'evt-1', type: 'PersonRegistered', data: PERSON }), [['id', 'isUuid']]],
    ['a streamId that is not a string', line({ streamId: 42, type: 'PersonRegistered', data: PERSON }), [['streamId', 'isString']]],
    ['a streamId of another entity', line({ streamId: 'person-bob', type: 'PersonRegistered', data: PERSON }), [['streamId', 'matchesData']]],
    ['a store field', line({ revision: 3, type: 'PersonRegistered', data: PERSON }), [['revision', 'setByStore']]],
    ['an unknown envelope field', line({ payload: {}, type: 'PersonRegistered', data: PERSON }), [['payload', 'whitelistValidation']]],
    ['metadata that is not an object', line({ type: 'PersonRegistered', data: PERSON, metadata: 'x' }), [['metadata', 'isObject']]],
    ['a fractional schemaVersion', line({ type: 'PersonRegistered', data: PERSON, metadata: { schemaVersion: 1.5 } }), [['metadata.schemaVersion', 'isInt']]],
    ['a negative schemaVersion', line({ type: 'PersonRegistered', data: PERSON, metadata: { schemaVersion: -1 } }), [['metadata.schemaVersion', 'min']]],
    ['a future schemaVersion', line({ type: 'PersonRegistered', data: PERSON, metadata: { schemaVersion: 2 } }), [['metadata.schemaVersion', 'max']]],
    ['a non-text actor', line({ type: 'PersonRegistered', data: PERSON, metadata: { actor: 7 } }), [['metadata.actor', 'isString']]],
    ['no data', line({ type: 'PersonRegistered' }), [['data', 'isDefined']]],
    ['data that is not an object', line({ type: 'PersonRegistered', data: [PERSON] }), [['data', 'isObject']]],
    ['no occurredAt', line({ type: 'PersonRegistered', data: { ...PERSON, occurredAt: undefined } }), [['data.occurredAt', 'isDefined']]],
    ['a bad occurredAt', line({ type: 'PersonRegistered', data: { ...PERSON, occurredAt: 'yesterday' } }), [['data.occurredAt', 'isIsoDateTimeWithOffset']]],
    ['expectedRevision in data', line({ type: 'PersonRegistered', data: { ...PERSON, expectedRevision: 0 } }), [['data.expectedRevision', 'isNotCommandOption']]],
    ['idempotencyKey in data', line({ type: 'PersonRegistered', data: { ...PERSON, idempotencyKey: 'k' } }), [['data.idempotencyKey', 'isNotCommandOption']]],
    ['a payload field that breaks its rule', line({ type: 'PersonRegistered', data: { ...PERSON, timeZone: 'CET' } }), [['data.timeZone', 'isIanaTimeZone']]],
    ['an unknown payload field', line({ type: 'PersonRegistered', data: { ...PERSON, shoeSize: 42 } }), [['data.shoeSize', 'whitelistValidation']]],
    ['a missing payload field', line({ type: 'IncidentDeclared', data: { incidentId: 'INC-1', title: 'Down', occurredAt: '2024-01-01T00:00:00Z' } }), [['data.severity', 'isIn']]],
  ];

  it.each(cases)('%s', (_what, text, expected) => {
    const parsed = parseEventLine(text, 12);
    expect(problemsOf(parsed)).toEqual(expected);
    if (!parsed.ok) {
      for (const problem of parsed.problems) {
        expect(problem.line).toBe(12);
        expect(problem.kind).toBe('invalid');
        expect(problem.message.length).toBeGreaterThan(5);
      }
    }
  });

  it('reports every problem of a line at once', () => {
    const text = line({ id: 'x', type: 'PersonRegistered', data: { personId: '-ana', name: 'Ana', timeZone: 'Mars/Base', idempotencyKey: 'k' }, extra: 1 });
    expect(problemsOf(parseEventLine(text, 3)).sort()).toEqual(
      [
        ['extra', 'whitelistValidation'],
        ['id', 'isUuid'],
        ['data.occurredAt', 'isDefined'],
        ['data.idempotencyKey', 'isNotCommandOption'],
        ['data.personId', 'isEntityId'],
        ['data.timeZone', 'isIanaTimeZone'],
      ].sort(),
    );
  });

  it('names fields under the list path for a GraphQL list', () => {
    const parsed = parseEventObject({ type: 'PersonRegistered', data: { ...PERSON, timeZone: 'CET' } }, 2, { path: 'events[2]' });
    expect(problemsOf(parsed)).toEqual([['events[2].data.timeZone', 'isIanaTimeZone']]);
    expect(problemsOf(parseEventObject(null, 4, { path: 'events[4]' }))).toEqual([['events[4]', 'isObject']]);
  });
});
