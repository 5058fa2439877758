import {
  COMMAND_FOR_EVENT,
  COMMANDS,
  CURRENT_SCHEMA_VERSION,
  checkInput,
  isEntityId,
  isEventType,
  streamIdOf,
  upcast,
  type CommandFields,
  type CommandSpec,
  type EventMetadata,
  type EventType,
  type FieldError,
} from '@app/domain';
import { uuidV5 } from '@app/event-store/uuid';

/** One line that passed every check of its own: what will be appended if its stream agrees. */
export interface ImportedEvent {
  /** 1-based line number in the file, or the index in a list. */
  line: number;
  /** Root of this event's field paths in problems: `$` for a file line, `events[2]` in a list. */
  ref: string;
  id: string;
  type: EventType;
  streamId: string;
  /** The payload in the current schema version, with null and absent fields left out. */
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface LineProblem extends FieldError {
  line: number;
  /** `invalid`: the line itself is wrong; `rule`: its stream refuses it in the state it is in. */
  kind: 'invalid' | 'rule';
}

export type ParsedLine = { line: number; ok: true; event: ImportedEvent } | { line: number; ok: false; problems: LineProblem[] };

export interface ParseOptions {
  /** Prefix of every field path (`events[2]`); a file line has none and its root is `$`. */
  path?: string;
  /** metadata.source when the line gives none. */
  source?: string;
  /** Metadata the line does not give itself (the request's actor and correlation id). */
  metadataDefaults?: EventMetadata;
}

/** The envelope of an import line (EVENTS.md): only type and data are required. */
const LINE_KEYS = ['id', 'type', 'streamId', 'data', 'metadata'];
const STORE_KEYS = ['revision', 'position', 'recordedAt'];
/** Command options that have no place in an event: an import states what happened, not how to write it. */
const COMMAND_OPTION_KEYS = ['expectedRevision', 'idempotencyKey'];
const METADATA_TEXT_KEYS = ['correlationId', 'causationId', 'actor', 'source'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_SOURCE = 'import:ndjson';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (isObject(value)) {
    const fields = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The id of a line that gives none: UUIDv5 of its content, so importing the same file again
 * yields the same ids and the store skips them. Content = type, stream, payload (current schema
 * version, nulls dropped) and the metadata the line itself gives; key order and spacing do not count.
 */
export function defaultEventId(content: { type: string; streamId: string; data: Json; metadata?: Json }): string {
  const { schemaVersion: _version, ...metadata } = content.metadata ?? {};
  const identity = { type: content.type, streamId: content.streamId, data: content.data, metadata: Object.keys(metadata).length ? metadata : undefined };
  return uuidV5(`catalyst-import\u0000${canonicalJson(identity)}`);
}

class Problems {
  readonly list: LineProblem[] = [];
  constructor(
    readonly line: number,
    readonly path: string,
  ) {}

  get root(): string {
    return this.path || '$';
  }

  at(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  add(field: string, rule: string, message: string): void {
    this.list.push({ line: this.line, field, rule, message, kind: 'invalid' });
  }
}

/** Parses and checks one NDJSON line on its own (no stream state): an event, or every problem at once. */
export function parseEventLine(text: string, lineNumber: number, options: ParseOptions = {}): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const problems = new Problems(lineNumber, options.path ?? '');
    problems.add(problems.root, 'isJson', `the line is not valid JSON: ${(error as Error).message}`);
    return { line: lineNumber, ok: false, problems: problems.list };
  }
  return parseEventObject(value, lineNumber, options);
}

/** The same checks for an already parsed value (a GraphQL EventInput). Null envelope fields count as absent. */
export function parseEventObject(value: unknown, lineNumber: number, options: ParseOptions = {}): ParsedLine {
  const problems = new Problems(lineNumber, options.path ?? '');
  if (!isObject(value)) {
    problems.add(problems.root, 'isObject', 'an event must be a JSON object with type and data');
    return { line: lineNumber, ok: false, problems: problems.list };
  }
  const line = Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null && field !== undefined));
  checkEnvelopeKeys(line, problems);
  const type = checkType(line.type, problems);
  if (line.id !== undefined && !(typeof line.id === 'string' && UUID.test(line.id))) {
    problems.add(problems.at('id'), 'isUuid', 'id must be a UUID, e.g. 0b4c5e6a-3f7d-4d1e-9a8b-2c1d0e9f8a7b (leave it out to get one derived from the line)');
  }
  if (line.streamId !== undefined && typeof line.streamId !== 'string') problems.add(problems.at('streamId'), 'isString', 'streamId must be a string');
  const metadata = checkMetadata(line.metadata, problems);
  let checked: { data: Json; streamId: string } | undefined;
  if (type && metadata) checked = checkData(type, line.data, metadata, problems);
  else checkDataIsObject(line.data, problems);
  if (checked && typeof line.streamId === 'string' && line.streamId !== checked.streamId) {
    problems.add(problems.at('streamId'), 'matchesData', `streamId must be "${checked.streamId}", the stream the data names; got "${line.streamId}"`);
  }
  if (problems.list.length > 0 || !checked || !type || !metadata) {
    if (problems.list.length === 0) problems.add(problems.root, 'isEvent', 'the line does not name its entity');
    return { line: lineNumber, ok: false, problems: problems.list };
  }

  const id = typeof line.id === 'string' ? line.id.toLowerCase() : defaultEventId({ type, streamId: checked.streamId, data: checked.data, metadata });
  return {
    line: lineNumber,
    ok: true,
    event: {
      line: lineNumber,
      ref: problems.root,
      id,
      type,
      streamId: checked.streamId,
      data: checked.data,
      metadata: {
        ...options.metadataDefaults,
        ...metadata,
        schemaVersion: CURRENT_SCHEMA_VERSION,
        source: metadata.source ?? options.source ?? DEFAULT_SOURCE,
      },
    },
  };
}

function checkEnvelopeKeys(line: Json, problems: Problems): void {
  for (const key of Object.keys(line)) {
    if (STORE_KEYS.includes(key)) {
      problems.add(problems.at(key), 'setByStore', `${key} is set by the store when the event is appended; leave it out`);
    } else if (!LINE_KEYS.includes(key)) {
      problems.add(problems.at(key), 'whitelistValidation', `property ${key} should not exist; an event line has ${LINE_KEYS.join(', ')}`);
    }
  }
}

function checkType(type: unknown, problems: Problems): EventType | undefined {
  if (type === undefined) {
    problems.add(problems.at('type'), 'isDefined', 'type is required: one of the event types of the catalog, e.g. IncidentDeclared');
    return undefined;
  }
  if (!isEventType(type)) {
    problems.add(problems.at('type'), 'isEventType', `type must be an event type of the catalog (EVENTS.md), got ${JSON.stringify(type)}`);
    return undefined;
  }
  return type;
}

function checkMetadata(metadata: unknown, problems: Problems): EventMetadata | undefined {
  if (metadata === undefined) return {};
  if (!isObject(metadata)) {
    problems.add(problems.at('metadata'), 'isObject', 'metadata must be an object');
    return undefined;
  }
  const before = problems.list.length;
  const version = metadata.schemaVersion;
  if (version !== undefined && version !== null) {
    if (typeof version !== 'number' || !Number.isInteger(version)) {
      problems.add(problems.at('metadata.schemaVersion'), 'isInt', 'metadata.schemaVersion must be an integer');
    } else if (version < 0) {
      problems.add(problems.at('metadata.schemaVersion'), 'min', 'metadata.schemaVersion must not be less than 0');
    } else if (version > CURRENT_SCHEMA_VERSION) {
      problems.add(problems.at('metadata.schemaVersion'), 'max', `metadata.schemaVersion ${version} is newer than this server's catalog (version ${CURRENT_SCHEMA_VERSION})`);
    }
  }
  for (const key of METADATA_TEXT_KEYS) {
    if (metadata[key] !== undefined && metadata[key] !== null && typeof metadata[key] !== 'string') {
      problems.add(problems.at(`metadata.${key}`), 'isString', `metadata.${key} must be a string`);
    }
  }
  if (problems.list.length > before) return undefined;
  const { schemaVersion: _version, ...rest } = Object.fromEntries(Object.entries(metadata).filter(([, field]) => field !== null));
  return { ...rest, schemaVersion: typeof version === 'number' ? version : CURRENT_SCHEMA_VERSION } as EventMetadata;
}

function checkDataIsObject(data: unknown, problems: Problems): data is Json {
  if (data === undefined) {
    problems.add(problems.at('data'), 'isDefined', 'data is required: the event payload, with occurredAt');
    return false;
  }
  if (!isObject(data)) {
    problems.add(problems.at('data'), 'isObject', 'data must be an object');
    return false;
  }
  return true;
}

/** Validates the payload with the class of the command behind the type; returns the payload and its stream. */
function checkData(type: EventType, data: unknown, metadata: EventMetadata, problems: Problems): { data: Json; streamId: string } | undefined {
  if (!checkDataIsObject(data, problems)) return undefined;
  const current = upcastData(type, data, metadata.schemaVersion ?? CURRENT_SCHEMA_VERSION);
  const before = problems.list.length;
  if (current.occurredAt === undefined || current.occurredAt === null) {
    problems.add(problems.at('data.occurredAt'), 'isDefined', 'occurredAt is required in an imported event: when it happened, ISO-8601 with Z or an offset');
  }
  for (const key of COMMAND_OPTION_KEYS) {
    if (key in current) problems.add(problems.at(`data.${key}`), 'isNotCommandOption', `${key} is a command option, not event data; leave it out`);
  }
  const spec = COMMANDS[COMMAND_FOR_EVENT[type]] as CommandSpec;
  for (const error of checkInput(spec.fields, current, problems.at('data'))) problems.add(error.field, error.rule, error.message);
  const entityId = spec.entityId(current as CommandFields);
  if (!isEntityId(entityId)) return undefined;
  const streamId = streamIdOf(spec.category, entityId);
  if (problems.list.length > before) return { data: current, streamId };
  const payload = Object.fromEntries(Object.entries(current).filter(([, field]) => field !== null && field !== undefined));
  return { data: spec.toCommand(payload).data, streamId };
}

function upcastData(type: EventType, data: Json, schemaVersion: number): Json {
  if (schemaVersion >= CURRENT_SCHEMA_VERSION) return data;
  const stored = { id: '', type, streamId: '', revision: 0, position: '0', data, metadata: { schemaVersion }, recordedAt: '' };
  return upcast(stored).data;
}
