import { ATTACKS } from './attacks';
import { CypherSandboxError } from './errors';
import { checkCypher, tokenize } from './guard';

const refusal = (query: string): CypherSandboxError | null => {
  try {
    checkCypher(query);
    return null;
  } catch (error) {
    if (error instanceof CypherSandboxError) return error;
    throw error;
  }
};

describe('checkCypher (the sandbox lexer check)', () => {
  it.each(ATTACKS)('refuses: $name', ({ query }) => {
    const error = refusal(query);
    expect(error).not.toBeNull();
    expect(error?.message).toMatch(/^cypher refused: /);
  });

  it.each([
    ['a keyword inside a string', "RETURN 'CREATE (n) DELETE n' AS text"],
    ['a keyword inside a comment', 'MATCH (n) // then CREATE (x)\nRETURN count(n) AS c'],
    ['a keyword inside a block comment', 'MATCH (n) /* SET n.x = 1 */ RETURN count(n) AS c'],
    ['keywords as map keys and properties', 'MATCH (n) RETURN {create: n.set, merge: 1} AS m LIMIT 1'],
    ['a keyword as a label', 'MATCH (n:Create) RETURN n LIMIT 1'],
    ['a read subquery', 'CALL { MATCH (n) RETURN count(n) AS c } RETURN c'],
    ['a scoped read subquery', 'MATCH (n) CALL (n) { RETURN n.id AS id } RETURN id LIMIT 1'],
    ['an allowed procedure', 'CALL db.labels() YIELD label RETURN label'],
    ['allowed functions', "RETURN apoc.coll.sum([1, 2]) AS s, apoc.text.join(['a'], '-') AS j, duration.between(date(), date()) AS d"],
    ['a trailing semicolon', 'RETURN 1 AS one;'],
    ['non-ASCII text inside strings and quoted names', "RETURN 'Zoë — ok' AS `naïve`"],
    ['escaped quotes in strings', "RETURN 'it\\'s CREATE' AS s, \"say \\\"SET\\\"\" AS t"],
  ])('allows %s', (_name, query) => {
    expect(refusal(query)).toBeNull();
  });

  it('reports the procedures and namespaced functions a query uses', () => {
    expect(checkCypher("CALL db.labels() YIELD label RETURN apoc.text.join([label], ',') AS l")).toEqual({
      procedures: ['db.labels'],
      functions: ['apoc.text.join'],
    });
  });

  it('tells code from strings, comments and quoted names', () => {
    const kinds = tokenize("MATCH (`a b`) // x\nRETURN 'y' /* z */ AS $p").map((t) => `${t.kind}:${t.text}`);
    expect(kinds).toEqual(['word:MATCH', 'punct:(', 'quoted:a b', 'punct:)', 'word:RETURN', "string:'y'", 'word:AS', 'param:$p']);
  });

  it('names the rule it applied', () => {
    expect(refusal('MATCH (n) SET n.x = 1')).toMatchObject({ code: 'FORBIDDEN', rule: 'readOnly' });
    expect(refusal("CALL apoc.load.json('x')")).toMatchObject({ code: 'FORBIDDEN', rule: 'procedure', details: { procedure: 'apoc.load.json' } });
    expect(refusal("RETURN apoc.cypher.runFirstColumnSingle('x', {})")).toMatchObject({ code: 'FORBIDDEN', rule: 'function' });
    expect(refusal('  ')).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'syntax' });
  });
});
