import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * ISO-8601 date-time with `Z` or an offset, kept as text so the offset it was given in survives.
 * Input values are checked by command validation, so one error can name every bad field at once.
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
