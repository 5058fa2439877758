import { GraphQLError, Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { assertPageSizes } from './page-size';

/** The resolve info of the first root field of `query` (as GraphQL hands it to the resolver). */
function infoOf(query: string, variableValues: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments, variableValues };
}

const refusal = (fn: () => void): GraphQLError => {
  try {
    fn();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected a refusal');
};

describe('assertPageSizes', () => {
  it('accepts sizes up to the maximum, and selections without sizes', () => {
    expect(() => assertPageSizes(infoOf('{ viewIncidents(limit: 10) { id } }'), 10)).not.toThrow();
    expect(() => assertPageSizes(infoOf('{ viewIncidentsConnection(first: 10) { edges { node { id } } } }'), 10)).not.toThrow();
    expect(() => assertPageSizes(infoOf('{ viewIncidents { id responders { id } } }'), 10)).not.toThrow();
  });

  it('refuses a root first above the maximum with BAD_USER_INPUT naming the argument', () => {
    const error = refusal(() => assertPageSizes(infoOf('{ viewIncidentsConnection(first: 11) { totalCount } }'), 10));
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe('first of viewIncidentsConnection is 11; the maximum page size is 10 (VIEWS_MAX_PAGE_SIZE)');
    expect(error.extensions.fieldErrors).toEqual([
      { field: 'first', path: 'viewIncidentsConnection(first)', rule: 'maxPageSize', message: 'first must be at most 10' },
    ]);
  });

  it('finds nested sizes, through aliases, variables and fragments', () => {
    const nested = refusal(() =>
      assertPageSizes(infoOf('query($n: Int) { t: viewTeams { ...F } } fragment F on ViewTeam { ... on ViewTeam { m: members(limit: $n) { id } } }', { n: 99 }), 10),
    );
    expect(nested.message).toBe('limit of t.m is 99; the maximum page size is 10 (VIEWS_MAX_PAGE_SIZE)');
  });
});
