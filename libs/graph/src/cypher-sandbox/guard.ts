import { isAllowedFunction, isAllowedProcedure } from './allow-list';
import { CypherSandboxError } from './errors';

/** Longest query text the sandbox reads. */
export const MAX_QUERY_LENGTH = 20_000;

interface Token {
  kind: 'word' | 'quoted' | 'param' | 'string' | 'number' | 'punct';
  text: string;
  at: number;
}

/**
 * Clauses and commands that write, reach files or the network, change the database or the server,
 * run their own transactions, pick another database, or change how the query is run.
 */
const REFUSED_KEYWORDS: Record<string, string> = {
  CREATE: 'writes (CREATE) are refused',
  MERGE: 'writes (MERGE) are refused',
  DELETE: 'writes (DELETE) are refused',
  DETACH: 'writes (DETACH DELETE) are refused',
  SET: 'writes (SET) are refused',
  REMOVE: 'writes (REMOVE) are refused',
  INSERT: 'writes (INSERT) are refused',
  FOREACH: 'FOREACH (a write clause) is refused',
  DROP: 'schema and administration commands (DROP) are refused',
  ALTER: 'administration commands (ALTER) are refused',
  RENAME: 'administration commands (RENAME) are refused',
  GRANT: 'administration commands (GRANT) are refused',
  DENY: 'administration commands (DENY) are refused',
  REVOKE: 'administration commands (REVOKE) are refused',
  SHOW: 'administration commands (SHOW) are refused',
  START: 'administration commands (START) are refused',
  STOP: 'administration commands (STOP) are refused',
  TERMINATE: 'administration commands (TERMINATE) are refused',
  ENABLE: 'administration commands (ENABLE) are refused',
  DEALLOCATE: 'administration commands (DEALLOCATE) are refused',
  REALLOCATE: 'administration commands (REALLOCATE) are refused',
  LOAD: 'LOAD CSV (reads files and URLs) is refused',
  USE: 'USE (another database or graph) is refused',
  TRANSACTIONS: 'CALL { ... } IN TRANSACTIONS is refused',
  PERIODIC: 'USING PERIODIC COMMIT is refused',
  EXPLAIN: 'EXPLAIN and PROFILE are refused (the sandbox plans the query itself)',
  PROFILE: 'EXPLAIN and PROFILE are refused (the sandbox plans the query itself)',
  CYPHER: 'CYPHER query options are refused',
};

const refuse = (rule: string, message: string, details: Record<string, unknown> = {}) =>
  new CypherSandboxError(rule === 'syntax' ? 'BAD_USER_INPUT' : 'FORBIDDEN', rule, `cypher refused: ${message}`, details);

const NUMBER = /^(?:0x[0-9A-Fa-f_]+|0o[0-7_]+|[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[eE][+-]?[0-9]+)?)/;
const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;

/** Cypher's lexical structure, enough to tell code from strings, comments and quoted names. */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = query.length;
  while (i < n) {
    const c = query[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
    } else if (c === '/' && query[i + 1] === '/') {
      while (i < n && query[i] !== '\n' && query[i] !== '\r') i += 1;
    } else if (c === '/' && query[i + 1] === '*') {
      const end = query.indexOf('*/', i + 2);
      if (end < 0) throw refuse('syntax', `unterminated comment at offset ${i}`);
      i = end + 2;
    } else if (c === "'" || c === '"') {
      const start = i;
      i += 1;
      while (i < n && query[i] !== c) i += query[i] === '\\' ? 2 : 1;
      if (i >= n) throw refuse('syntax', `unterminated string at offset ${start}`);
      i += 1;
      tokens.push({ kind: 'string', text: query.slice(start, i), at: start });
    } else if (c === '`') {
      const start = i;
      let name = '';
      i += 1;
      for (;;) {
        if (i >= n) throw refuse('syntax', `unterminated quoted name at offset ${start}`);
        if (query[i] === '`') {
          if (query[i + 1] === '`') {
            name += '`';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        name += query[i];
        i += 1;
      }
      tokens.push({ kind: 'quoted', text: name, at: start });
    } else if (c === '$') {
      const start = i;
      i += 1;
      if (query[i] === '`') {
        const end = query.indexOf('`', i + 1);
        if (end < 0) throw refuse('syntax', `unterminated parameter name at offset ${start}`);
        i = end + 1;
      } else {
        while (i < n && WORD_PART.test(query[i])) i += 1;
      }
      tokens.push({ kind: 'param', text: query.slice(start, i), at: start });
    } else if (WORD_START.test(c)) {
      const start = i;
      while (i < n && WORD_PART.test(query[i])) i += 1;
      tokens.push({ kind: 'word', text: query.slice(start, i), at: start });
    } else if (/[0-9]/.test(c)) {
      // Only what a number can be: a word glued to it (`0CREATE`) is a word of its own, as for Neo4j.
      const text = NUMBER.exec(query.slice(i, i + 400))?.[0] ?? c;
      tokens.push({ kind: 'number', text, at: i });
      i += text.length;
    } else if (c.charCodeAt(0) > 0x7e || c.charCodeAt(0) < 0x20 || c === '\\') {
      // Unicode whitespace, dashes and escapes outside strings could make this check and Neo4j's parser disagree.
      throw refuse('ascii', `character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at offset ${i} is only allowed inside strings and quoted names`);
    } else {
      tokens.push({ kind: 'punct', text: c, at: i });
      i += 1;
    }
  }
  return tokens;
}

const isName = (token: Token | undefined) => token !== undefined && (token.kind === 'word' || token.kind === 'quoted');

/** A dotted name starting at `start` (`apoc.load.json`, `` `apoc`.load.`json` ``): its text and the index after it. */
function dottedName(tokens: Token[], start: number): { name: string; next: number } {
  let name = tokens[start].text;
  let i = start + 1;
  while (tokens[i]?.text === '.' && tokens[i].kind === 'punct' && isName(tokens[i + 1])) {
    name += `.${tokens[i + 1].text}`;
    i += 2;
  }
  return { name, next: i };
}

export interface CheckedQuery {
  /** Procedures the query calls (all allowed). */
  procedures: string[];
  /** Namespaced functions the query calls (all allowed). */
  functions: string[];
}

/**
 * First line of the sandbox, before anything reaches Neo4j: a lexer-based check that ignores
 * strings and comments, refuses write/administration/file clauses anywhere (subqueries included),
 * and allows only listed procedures and namespaced functions. The read transaction is the second line,
 * the plan check (EXPLAIN: query type and operators) the third.
 */
export function checkCypher(query: string): CheckedQuery {
  if (typeof query !== 'string' || query.trim() === '') throw refuse('syntax', 'query must be a non-empty string');
  if (query.length > MAX_QUERY_LENGTH) throw refuse('syntax', `query is ${query.length} characters, the limit is ${MAX_QUERY_LENGTH}`);
  const tokens = tokenize(query);
  const procedures: string[] = [];
  const functions: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (token.kind === 'punct' && token.text === ';' && i !== tokens.length - 1) {
      throw refuse('singleStatement', `one statement only (";" at offset ${token.at})`);
    }
    if (!isName(token)) continue;
    const previous = tokens[i - 1];
    const afterDot = previous?.kind === 'punct' && previous.text === '.';
    if (afterDot) continue; // a property or the rest of a dotted name, handled with its start
    const upper = token.text.toUpperCase();
    if (token.kind === 'word') {
      const labelOrKey = (previous?.kind === 'punct' && previous.text === ':') || (tokens[i + 1]?.kind === 'punct' && tokens[i + 1].text === ':');
      const reason = REFUSED_KEYWORDS[upper];
      if (reason && !labelOrKey) throw refuse('readOnly', reason, { keyword: upper, offset: token.at });
      if (upper === 'CALL') {
        const next = tokens[i + 1];
        if (next === undefined) throw refuse('syntax', 'CALL without a procedure or subquery');
        if (next.kind === 'punct' && (next.text === '{' || next.text === '(')) continue; // CALL { ... } / CALL (x) { ... }
        if (!isName(next)) throw refuse('procedure', `CALL must name an allowed procedure (offset ${next.at})`);
        const { name, next: after } = dottedName(tokens, i + 1);
        if (!isAllowedProcedure(name)) throw refuse('procedure', `procedure ${name} is not allowed in the sandbox`, { procedure: name });
        procedures.push(name);
        i = after - 1;
        continue;
      }
    }
    const { name, next } = dottedName(tokens, i);
    const opens = tokens[next]?.kind === 'punct' && tokens[next].text === '(';
    if (opens && name.includes('.')) {
      if (!isAllowedFunction(name)) throw refuse('function', `function ${name} is not allowed in the sandbox`, { function: name });
      functions.push(name);
    }
    i = next - 1;
  }
  return { procedures, functions };
}
