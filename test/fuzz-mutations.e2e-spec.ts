import { randomUUID } from 'node:crypto';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import fc from 'fast-check';
import {
  execute,
  getNullableType,
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  parse,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import pino from 'pino';
import { EVENT_TYPES } from '@app/domain';
import type { Principal } from '../apps/api/src/auth/principal';
import { formatError } from '../apps/api/src/graphql/errors';
import { startTestApp, type TestApp } from '@test/support/app';
import { gql } from '@test/support/graphql';

/**
 * Property-based fuzzing of every mutation's input, driven by the schema's own input types, against
 * the real app and its real SQLite log (projection external: the fuzz measures the write path).
 * Properties: no internal server error; no partial append: a refused command moves the log head not
 * at all, an accepted one appends only its own events (one correlation id), ending at the position it reports.
 * FUZZ_RUNS_PER_MUTATION scales the in-process runs (default: 10,000+ cases in total).
 */
const RUNS_PER_MUTATION = Number(process.env.FUZZ_RUNS_PER_MUTATION ?? 500);
const HTTP_RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 200);
const silent = pino({ level: 'silent' });
const WRITER: Principal = { id: 'fuzz', role: 'admin', kind: 'development' };

/** Ids from a small pool, so commands meet entities that exist (and conflict), plus anything at all. */
const idFor = (field: string) => {
  const prefix = /incident/i.test(field) ? 'INC' : /team/i.test(field) ? 'T' : /service/i.test(field) ? 'S' : /actionItem/i.test(field) ? 'AI' : 'P';
  return fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }).map((n) => `${prefix}-fz${n}`) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) });
};
const dateTime = fc.oneof(
  { weight: 6, arbitrary: fc.date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom('2024-02-30T00:00:00Z', '2024-01-01', 'yesterday', '2024-01-01T00:00:00+25:00', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);
const stringFor = (field: string): fc.Arbitrary<string> => {
  if (/Ids?$/.test(field) || field === 'declaredBy' || field === 'owner') return idFor(field);
  if (/At$/.test(field)) return dateTime;
  if (/timeZone/i.test(field)) return fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Tokyo', 'Mars/Olympus', '');
  if (/email/i.test(field)) return fc.oneof(fc.emailAddress(), fc.string({ maxLength: 20 }));
  return fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 60 }) }, { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 3000 }) }, { weight: 1, arbitrary: fc.constant('') });
};

function arbitraryFor(type: GraphQLInputType, field: string, depth = 0, required = false): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return arbitraryFor(type.ofType, field, depth, true);
  const nullable = (a: fc.Arbitrary<unknown>) => (required ? a : fc.option(a, { nil: null, freq: 6 }));
  if (isListType(type)) return nullable(fc.array(arbitraryFor(getNullableType(type.ofType) as GraphQLInputType, field, depth + 1), { maxLength: depth > 1 ? 1 : 4 }));
  if (isEnumType(type)) return nullable(fc.constantFrom(...type.getValues().map((v) => v.value as unknown)));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) record[f.name] = isNonNullType(f.type) ? arbitraryFor(f.type, f.name, depth + 1) : fc.option(arbitraryFor(f.type, f.name, depth + 1), { nil: undefined, freq: 2 });
    return fc.record(record, { requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) });
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return nullable(fc.oneof(fc.integer({ min: -2, max: 5 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })));
      case 'Float':
        return nullable(fc.oneof(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 1_000_000 })));
      case 'Boolean':
        return nullable(fc.boolean());
      case 'DateTime':
        return nullable(dateTime);
      case 'JSON':
        return nullable(fc.jsonValue({ maxDepth: 3 }));
      default:
        return nullable(stringFor(field));
    }
  }
  return fc.constant(null);
}

const importEvent = fc.record(
  {
    type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...EVENT_TYPES) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }),
    data: fc.oneof(
      { weight: 3, arbitrary: fc.record({ personId: idFor('personId'), name: fc.string({ maxLength: 20 }), timeZone: stringFor('timeZone'), occurredAt: dateTime, incidentId: idFor('incidentId'), title: fc.string({ maxLength: 20 }), severity: fc.constantFrom('SEV1', 'SEV2', 'SEV9') }, { requiredKeys: ['occurredAt'] }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    ),
    streamId: fc.option(fc.oneof(fc.string({ maxLength: 20 }), idFor('personId').map((id) => `person-${id}`)), { nil: undefined }),
  },
  { requiredKeys: ['type', 'data'] },
);

describe('fuzzing every mutation input (fast-check, real SQLite log)', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  const stats = { cases: 0, accepted: 0, refused: 0, http: 0, byCode: new Map<string, number>() };

  beforeAll(async () => {
    app = await startTestApp({ PROJECTOR: 'external' });
    schema = app.app.get(GraphQLSchemaHost).schema;
  });
  afterAll(async () => {
    await app?.close();
    process.stdout.write(
      `fuzz: ${stats.cases} in-process cases (${stats.accepted} accepted, ${stats.refused} refused: ${JSON.stringify(Object.fromEntries(stats.byCode))}), ${stats.http} over HTTP\n`,
    );
  });

  const mutations = () => Object.values(schema.getMutationType()?.getFields() ?? {});

  /** The log after `before`: every new event must belong to the one command (correlation id) that ran. */
  async function checkLog(before: string, correlationId: string, accepted: boolean, reportedPosition: string | undefined) {
    const after = await app.infrastructure.store.headPosition();
    if (!accepted) {
      expect({ head: after, correlationId }).toEqual({ head: before, correlationId });
      return;
    }
    const appended = await app.infrastructure.store.readAll({ fromPosition: before, maxCount: 20_000 });
    for (const event of appended) expect(event.metadata.correlationId).toBe(correlationId);
    if (appended.length > 0 && reportedPosition !== undefined) expect(appended[appended.length - 1].position).toBe(reportedPosition);
  }

  /** Through the API's one error mapping (errors.ts); request errors (variable coercion: no path) are GraphQL's own refusals. */
  function assertNoInternalError(errors: readonly GraphQLError[] | undefined, what: string) {
    for (const error of errors ?? []) {
      const code = error.path ? String(formatError(silent)(error.toJSON(), error).extensions?.code) : 'BAD_USER_INPUT (coercion)';
      stats.byCode.set(code, (stats.byCode.get(code) ?? 0) + 1);
      if (code === 'INTERNAL_SERVER_ERROR') throw new Error(`${what}: internal error ${error.message}\n${error.originalError?.stack ?? ''}`);
    }
  }

  it('every mutation, in process: no internal error, no partial append', async () => {
    const fields = mutations();
    expect(fields.length).toBeGreaterThan(30);
    for (const field of fields) {
      const args = field.args;
      const document = parse(
        `mutation M(${args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ')}) { ${field.name}(${args.map((a) => `${a.name}: $${a.name}`).join(', ')}) { __typename } }`,
      );
      const variables =
        field.name === 'importEvents'
          ? fc.record({ events: fc.array(importEvent, { minLength: 1, maxLength: 5 }) })
          : fc.record(Object.fromEntries(args.map((a) => [a.name, arbitraryFor(a.type, a.name)])));
      await fc.assert(
        fc.asyncProperty(variables, async (variableValues) => {
          const correlationId = randomUUID();
          const before = await app.infrastructure.store.headPosition();
          const result = await execute({
            schema,
            document,
            variableValues: variableValues as Record<string, unknown>,
            contextValue: { principal: WRITER, request: { correlationId, actor: WRITER.id } },
          });
          stats.cases += 1;
          assertNoInternalError(result.errors, field.name);
          const data = (result.data as Record<string, Record<string, unknown> | null> | null | undefined)?.[field.name];
          const accepted = !result.errors?.length && data != null;
          if (accepted) stats.accepted += 1;
          else stats.refused += 1;
          await checkLog(before, correlationId, accepted, undefined);
        }),
        { numRuns: field.name === 'importEvents' ? RUNS_PER_MUTATION * 2 : RUNS_PER_MUTATION },
      );
    }
    expect(stats.cases).toBeGreaterThanOrEqual(RUNS_PER_MUTATION * fields.length);
  });

  it('a sample over HTTP: never a 5xx or an internal error, no partial append', async () => {
    const fields = mutations().filter((f) => f.name !== 'importEvents');
    const pick = fc.integer({ min: 0, max: fields.length - 1 }).chain((i) =>
      fc.record({ index: fc.constant(i), variables: fc.record(Object.fromEntries(fields[i].args.map((a) => [a.name, arbitraryFor(a.type, a.name)]))) }),
    );
    await fc.assert(
      fc.asyncProperty(pick, async ({ index, variables }) => {
        const field = fields[index];
        const correlationId = randomUUID();
        const before = await app.infrastructure.store.headPosition();
        const query = `mutation M(${field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ')}) { ${field.name}(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')}) { position } }`;
        const result = await gql<Record<string, { position: string } | null>>(app.url, query, variables, { 'x-correlation-id': correlationId });
        stats.http += 1;
        expect(result.status).toBeLessThan(500);
        expect((result.errors ?? []).map((e) => e.extensions?.code)).not.toContain('INTERNAL_SERVER_ERROR');
        const data = result.data?.[field.name];
        const accepted = !result.errors?.length && data != null;
        await checkLog(before, correlationId, accepted, data?.position);
      }),
      { numRuns: HTTP_RUNS },
    );
  });
});
