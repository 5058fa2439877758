import { GraphQLSchemaHost } from '@nestjs/graphql';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { isRole, ROLE_EXTENSION } from '../apps/api/src/auth/roles';
import { startTestApp, type TestApp } from '@test/support/app';

/**
 * The schema walk: every root field of Query, Mutation and Subscription, and every field of any
 * type that declares a role, must declare one of viewer/analyst/writer/admin (@RequireRole, auth/roles.ts).
 * A root field without one is refused to everyone but admin at run time; this test names it.
 */
describe('every field declares its role', () => {
  let app: TestApp;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    app = await startTestApp();
    schema = app.app.get(GraphQLSchemaHost).schema;
  });
  afterAll(async () => {
    await app?.close();
  });

  const rootFields = () =>
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      type ? Object.values(type.getFields()).map((field) => ({ name: `${type.name}.${field.name}`, role: field.extensions?.[ROLE_EXTENSION] })) : [],
    );

  it('has root fields to check (the walk sees the real schema)', () => {
    const names = rootFields().map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['Query.incident', 'Query.cypher', 'Mutation.registerPerson', 'Mutation.importEvents', 'Subscription.events']));
  });

  it('finds no root field of Query, Mutation or Subscription without a declared role', () => {
    const missing = rootFields()
      .filter((field) => !isRole(field.role))
      .map((field) => field.name);
    expect(missing).toEqual([]);
  });

  it('declares only known roles on any field', () => {
    const unknown: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const role = field.extensions?.[ROLE_EXTENSION];
        if (role !== undefined && !isRole(role)) unknown.push(`${type.name}.${field.name}: ${String(role)}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('gives the roles of the issue: commands and imports writer, reads viewer, cypher analyst', () => {
    const roleOf = new Map(rootFields().map((f) => [f.name, f.role]));
    for (const mutation of Object.keys(schema.getMutationType()?.getFields() ?? {})) {
      if (['registerPerson', 'declareIncident', 'resolveIncident', 'importEvents'].includes(mutation)) expect(roleOf.get(`Mutation.${mutation}`)).toBe('writer');
    }
    for (const query of ['incident', 'team', 'service', 'events', 'projection']) expect(roleOf.get(`Query.${query}`)).toBe('viewer');
    expect(roleOf.get('Query.cypher')).toBe('analyst');
    expect(roleOf.get('Subscription.events')).toBe('viewer');
    expect(roleOf.get('Subscription.projectionProgress')).toBe('viewer');
  });
});
