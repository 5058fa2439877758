import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * ISO-8601 date-time with `Z` or an offset, kept as text so the offset it was given in survives.
 * Input values are checked by command validation, so one error can name every bad field at once.
 * Values read from the graph arrive as text already, written by libs/graph/src/temporal.ts.
 */
export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An ISO-8601 date-time with Z or an offset, e.g. 2026-03-01T09:30:00Z or 2026-03-01T10:30:00+01:00',
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return value;
    throw new GraphQLError(`DateTime cannot represent ${typeof value}`);
  },
  parseValue: (value) => {
    if (typeof value !== 'string') throw new GraphQLError('DateTime must be a string');
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
    return ast.value;
  },
});

/** Any JSON value: event payloads and metadata, whose shape depends on the event type. */
export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Any JSON value (an event payload or metadata; its shape depends on the event type)',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: function parse(ast, variables): unknown {
    switch (ast.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return ast.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      case Kind.NULL:
        return null;
      case Kind.LIST:
        return ast.values.map((value) => parse(value, variables));
      case Kind.OBJECT:
        return Object.fromEntries(ast.fields.map((field) => [field.name.value, parse(field.value, variables)]));
      case Kind.VARIABLE:
        return variables?.[ast.name.value];
      default:
        throw new GraphQLError(`JSON cannot represent ${ast.kind}`);
    }
  },
});
