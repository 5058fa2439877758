import { getMetadataStorage } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { COMMAND_FOR_EVENT, COMMANDS, type CommandSpec } from '../commands/catalog';
import { ENVELOPE_FIELDS } from '../commands/common';
import { EVENT_TYPES, type EventType } from '../events';
import { ENTITY_ID_PATTERN, STREAM_CATEGORIES } from '../ids';

/**
 * JSON Schemas (draft 2020-12) for every event type, generated from the class-validator command
 * input classes, and an AsyncAPI 3.0 document for the feed. Pure: returns objects; writing them
 * to schemas/ is tools/schemas/generate.ts, and a drift test compares both.
 */
export type JsonSchema = Record<string, unknown>;

export const SCHEMA_BASE_ID = 'https://catalyst.dev/schemas';
const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/** ISO-8601 date-time that must carry Z or an offset. */
export const DATE_TIME_WITH_OFFSET_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$';

/** JSON Schema for the custom decorators of validation.ts. */
const additionalConverters: ISchemaConverters = {
  isEntityId: { type: 'string', minLength: 1, maxLength: 128, pattern: ENTITY_ID_PATTERN.source },
  isIsoDateTimeWithOffset: { type: 'string', format: 'date-time', pattern: DATE_TIME_WITH_OFFSET_PATTERN },
  isIanaTimeZone: { type: 'string', description: 'IANA time zone name, e.g. Europe/Berlin' },
};

const schemaFileOf = (type: string) => `events/${type}.schema.json`;

/** Sorts object keys recursively so generated output is stable. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** The payload (`data`) schema of one event type. */
export function eventDataSchema(type: EventType): JsonSchema {
  const spec = COMMANDS[COMMAND_FOR_EVENT[type]] as CommandSpec;
  const raw = targetConstructorToSchema(spec.fields, { classValidatorMetadataStorage: getMetadataStorage(), additionalConverters }) as JsonSchema;
  const properties = { ...((raw.properties as Record<string, JsonSchema>) ?? {}) };
  const envelope = ENVELOPE_FIELDS as readonly string[];
  const occurredAt = properties.occurredAt;
  for (const key of envelope) delete properties[key];
  // Every stored event has occurredAt (filled by the server when the command omits it).
  properties.occurredAt = occurredAt ?? additionalConverters.isIsoDateTimeWithOffset;
  const extraRequired: string[] = [];
  if (type === 'TeamReparented') {
    // The command's absent parent is stored as an explicit null (top level): see COMMANDS.reparentTeam.
    properties.parentTeamId = { anyOf: [properties.parentTeamId, { type: 'null' }] };
    extraRequired.push('parentTeamId');
  }
  const required = [...new Set([...((raw.required as string[]) ?? []).filter((key) => !envelope.includes(key)), 'occurredAt', ...extraRequired])].sort();
  // ValidateIf-guarded fields are refused when absent only conditionally: not required here.
  return { type: 'object', properties, required, additionalProperties: false };
}

const metadataSchema: JsonSchema = {
  type: 'object',
  properties: {
    schemaVersion: { type: 'integer', minimum: 1, default: 1 },
    correlationId: { type: 'string' },
    causationId: { type: 'string' },
    actor: { type: 'string', description: 'person id or client name' },
    source: { type: 'string', description: 'graphql, import:ndjson, import:backstage, import:pagerduty, ...' },
  },
  additionalProperties: true,
};

/** The full envelope schema of one event type (EVENTS.md, Envelope). */
export function eventSchema(type: EventType): JsonSchema {
  const category = (COMMANDS[COMMAND_FOR_EVENT[type]] as CommandSpec).category;
  return sortKeys({
    $schema: DRAFT,
    $id: `${SCHEMA_BASE_ID}/${schemaFileOf(type)}`,
    title: type,
    description: `A ${type} event as stored, on the events subscription and on the $ce-${category} stream.`,
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      type: { const: type },
      streamId: { type: 'string', pattern: `^${category}-` },
      revision: { type: 'integer', minimum: 0 },
      position: { type: 'string', pattern: '^\\d+$', description: 'global log position, decimal 64-bit' },
      data: eventDataSchema(type),
      metadata: metadataSchema,
      recordedAt: { type: 'string', format: 'date-time', pattern: DATE_TIME_WITH_OFFSET_PATTERN },
    },
    required: ['id', 'type', 'streamId', 'revision', 'position', 'data', 'metadata', 'recordedAt'],
    additionalProperties: false,
  }) as JsonSchema;
}

/** Any event: oneOf the per-type schemas. */
export function eventsSchema(): JsonSchema {
  return sortKeys({
    $schema: DRAFT,
    $id: `${SCHEMA_BASE_ID}/events.schema.json`,
    title: 'CatalystEvent',
    oneOf: [...EVENT_TYPES].sort().map((type) => ({ $ref: `./${schemaFileOf(type)}` })),
  }) as JsonSchema;
}

/** AsyncAPI 3.0 document: the graphql-ws subscription and the EventStoreDB category streams. */
export function asyncApiDocument(): JsonSchema {
  const types = [...EVENT_TYPES].sort();
  const messages = Object.fromEntries(
    types.map((type) => [type, { name: type, title: type, contentType: 'application/json', payload: { $ref: `./${schemaFileOf(type)}` } }]),
  );
  const refs = (list: readonly string[]) => Object.fromEntries(list.map((type) => [type, { $ref: `#/components/messages/${type}` }]));
  const categoryOf = (type: EventType) => (COMMANDS[COMMAND_FOR_EVENT[type]] as CommandSpec).category;
  const channels: Record<string, unknown> = {
    events: {
      address: '/graphql',
      title: 'GraphQL subscription `events` over graphql-ws',
      description:
        'subscription { events(filter: { categories: [...], fromPosition: "..." }) { ... } } over the graphql-ws protocol. ' +
        'Replays from fromPosition, then follows live. A slow consumer is closed with a message naming the position to resume from.',
      messages: refs(types),
    },
  };
  const operations: Record<string, unknown> = {
    receiveEvents: { action: 'receive', channel: { $ref: '#/channels/events' }, summary: 'Subscribe to events over graphql-ws' },
  };
  for (const category of STREAM_CATEGORIES) {
    const key = `ce-${category}`;
    channels[key] = {
      address: `$ce-${category}`,
      title: `EventStoreDB category stream $ce-${category}`,
      description: `All events of ${category} streams (needs the system projections: EVENTSTORE_RUN_PROJECTIONS=System, EVENTSTORE_START_STANDARD_PROJECTIONS=true).`,
      messages: refs(types.filter((type) => categoryOf(type) === category)),
    };
    operations[`read-${key}`] = { action: 'receive', channel: { $ref: `#/channels/${key}` }, summary: `Read or subscribe to $ce-${category}` };
  }
  return sortKeys({
    asyncapi: '3.0.0',
    info: { title: 'Catalyst event feed', version: '1.0.0', description: 'The events of the Catalyst log (see docs/consuming-events.md).' },
    defaultContentType: 'application/json',
    servers: {
      api: { host: 'localhost:4000', protocol: 'ws', pathname: '/graphql', description: 'The API: graphql-ws subprotocol' },
      eventstoredb: { host: 'localhost:2113', protocol: 'esdb', description: 'EventStoreDB / KurrentDB gRPC' },
    },
    channels,
    operations,
    components: { messages },
  }) as JsonSchema;
}

/** Every document, by path relative to schemas/. JSON documents as objects; asyncapi.yaml as an object to serialize. */
export function eventSchemaDocuments(): { schemas: Record<string, JsonSchema>; asyncapi: JsonSchema } {
  const schemas: Record<string, JsonSchema> = { 'events.schema.json': eventsSchema() };
  for (const type of [...EVENT_TYPES].sort()) schemas[schemaFileOf(type)] = eventSchema(type);
  return { schemas, asyncapi: asyncApiDocument() };
}
