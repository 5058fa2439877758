import neo4j, { Neo4jError, type Driver, type ManagedTransaction, type ResultSummary } from 'neo4j-driver';
import { isAllowedProcedure } from './allow-list';
import { CypherSandboxError } from './errors';
import { checkCypher } from './guard';
import { cypherValueToJson, jsonToCypherParams } from './values';

export interface CypherSandboxOptions {
  database?: string;
  timeoutMs: number;
  maxRows: number;
}

export interface CypherResult {
  columns: string[];
  /** One array per row, values in column order, as JSON. */
  rows: unknown[][];
  /** True when more rows existed than the row limit let through. */
  truncated: boolean;
}

type PlanNode = NonNullable<ResultSummary['plan']>;

/** Plan operators that write, load, or run transactions of their own. */
const REFUSED_OPERATOR = /^(Create|Merge|Delete|DetachDelete|Set|Remove|Foreach|LoadCSV|Transaction)/;

function checkPlan(plan: PlanNode | false | undefined): void {
  if (!plan) return;
  const operator = plan.operatorType.split('@')[0];
  if (operator === 'ProcedureCall') {
    const details = String(plan.arguments?.Details ?? plan.arguments?.details ?? '');
    const name = /^\s*([\w.`]+)\s*\(/.exec(details)?.[1]?.replace(/`/g, '');
    if (!name || !isAllowedProcedure(name)) {
      throw new CypherSandboxError('FORBIDDEN', 'procedure', `cypher refused: the plan calls procedure ${name ?? '(unknown)'}, which is not allowed`);
    }
  } else if (REFUSED_OPERATOR.test(operator)) {
    throw new CypherSandboxError('FORBIDDEN', 'readOnly', `cypher refused: the plan has a writing operator (${operator})`, { operator });
  }
  for (const child of plan.children ?? []) checkPlan(child as PlanNode);
}

/** Neo4j's refusals, in the API's terms; anything else is unexpected and propagates. */
function translate(error: unknown, options: CypherSandboxOptions): unknown {
  if (!(error instanceof Neo4jError)) return error;
  const code = error.code ?? '';
  if (code.includes('TransactionTimedOut') || code === 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration') {
    return new CypherSandboxError('TOO_COMPLEX', 'timeout', `cypher refused: the query ran longer than ${options.timeoutMs} ms (CYPHER_TIMEOUT_MS)`, {
      timeoutMs: options.timeoutMs,
    });
  }
  if (code.startsWith('Neo.ClientError.Statement.AccessMode') || code.startsWith('Neo.ClientError.Security.')) {
    return new CypherSandboxError('FORBIDDEN', 'readOnly', `cypher refused: writes and administration are refused in the sandbox (${code})`);
  }
  if (code.startsWith('Neo.ClientError.Statement.') || code.startsWith('Neo.ClientError.Procedure.') || code.startsWith('Neo.ClientError.Schema.')) {
    return new CypherSandboxError('BAD_USER_INPUT', 'cypher', `cypher: ${error.message.split('\n')[0]}`, { neo4jCode: code });
  }
  return error;
}

/**
 * The analysts' read-only Cypher (API.md `cypher`). Three lines of defence: the lexer check
 * (guard.ts: no write/admin/file clauses, allow-listed procedures and functions only), a READ
 * session and transaction (Neo4j refuses any write), and the plan (EXPLAIN: read-only query type,
 * no writing operator, allowed procedures only). Runs with a transaction timeout and streams at most
 * maxRows rows, then stops.
 *
 * This is the one place where a client's text becomes Cypher, on purpose; its values still travel as parameters.
 */
export class CypherSandbox {
  constructor(
    private readonly driver: Driver,
    private readonly options: CypherSandboxOptions,
  ) {}

  async run(query: string, params: unknown, meta: { actor?: string } = {}): Promise<CypherResult> {
    checkCypher(query);
    const parameters = jsonToCypherParams(params);
    const { maxRows, timeoutMs } = this.options;
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.READ, fetchSize: Math.min(maxRows + 1, 1000) });
    try {
      return await session.executeRead(
        async (tx: ManagedTransaction) => {
          const explained = await tx.run(`EXPLAIN ${query}`, parameters);
          const summary = explained.summary;
          if (summary.queryType !== 'r') {
            throw new CypherSandboxError('FORBIDDEN', 'readOnly', `cypher refused: only read queries run in the sandbox (query type "${summary.queryType}")`);
          }
          checkPlan(summary.plan);
          const result = tx.run(query, parameters);
          const columns = (await result.keys()) as string[];
          const rows: unknown[][] = [];
          let truncated = false;
          for await (const record of result) {
            if (rows.length >= maxRows) {
              truncated = true;
              break;
            }
            rows.push(columns.map((column) => cypherValueToJson(record.get(column))));
          }
          return { columns, rows, truncated };
        },
        { timeout: timeoutMs, metadata: { app: 'catalyst-cypher-sandbox', actor: meta.actor ?? 'unknown' } },
      );
    } catch (error) {
      throw translate(error, this.options);
    } finally {
      await session.close();
    }
  }
}
