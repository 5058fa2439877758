import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { EVENT_TYPES } from '../events';
import { eventDataSchema, eventSchemaDocuments } from './event-schemas';

// Reading the committed files is the point of this test; the generator itself does no I/O.
const SCHEMAS_DIR = resolve(__dirname, '../../../../schemas');
const HINT = 'the committed schemas drifted from the payload classes: run `npm run schemas:generate` and commit schemas/';

function expectSame(path: string, actual: unknown, expected: unknown) {
  try {
    expect(actual).toEqual(expected);
  } catch (error) {
    throw new Error(`schemas/${path}: ${HINT}\n${(error as Error).message}`);
  }
}

describe('event schemas', () => {
  const { schemas, asyncapi } = eventSchemaDocuments();

  it('has one schema per event type plus the oneOf', () => {
    expect(Object.keys(schemas).sort()).toEqual(['events.schema.json', ...EVENT_TYPES.map((type) => `events/${type}.schema.json`)].sort());
  });

  it('requires occurredAt and drops the other envelope fields from the payload', () => {
    for (const type of EVENT_TYPES) {
      const data = eventDataSchema(type);
      expect(data.required).toContain('occurredAt');
      expect(Object.keys(data.properties as object)).not.toEqual(expect.arrayContaining(['expectedRevision']));
      expect(Object.keys(data.properties as object)).not.toEqual(expect.arrayContaining(['idempotencyKey']));
    }
  });

  it('gives the custom decorators JSON Schema', () => {
    const data = eventDataSchema('PersonRegistered') as { properties: Record<string, Record<string, unknown>> };
    expect(data.properties.personId).toMatchObject({ type: 'string', pattern: expect.any(String) });
    expect(data.properties.timeZone).toMatchObject({ type: 'string' });
    expect(data.properties.occurredAt).toMatchObject({ type: 'string', format: 'date-time', pattern: expect.stringContaining('Z|') });
  });

  it('matches the committed files (no drift)', () => {
    for (const [path, schema] of Object.entries(schemas)) {
      const file = join(SCHEMAS_DIR, path);
      if (!existsSync(file)) throw new Error(`schemas/${path} is missing: ${HINT}`);
      expectSame(path, JSON.parse(readFileSync(file, 'utf8')), schema);
    }
    const committed = readdirSync(join(SCHEMAS_DIR, 'events')).map((name) => `events/${name}`);
    const stale = committed.filter((path) => !(path in schemas));
    if (stale.length > 0) throw new Error(`stale files ${stale.join(', ')}: ${HINT}`);
    const yamlFile = join(SCHEMAS_DIR, 'asyncapi.yaml');
    if (!existsSync(yamlFile)) throw new Error(`schemas/asyncapi.yaml is missing: ${HINT}`);
    expectSame('asyncapi.yaml', parse(readFileSync(yamlFile, 'utf8')), asyncapi);
  });
});
