import { Inject } from '@nestjs/common';
import { Args, Context, Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { Driver } from 'neo4j-driver';
import { CypherSandbox } from '@app/graph/cypher-sandbox';
import type { Config } from '@app/runtime';
import { RequireRole } from '../auth/roles';
import { CONFIG, NEO4J_DRIVER } from '../tokens';
import type { GraphQLContext } from './context';
import { JSONScalar } from './scalars';

@ObjectType({ description: 'What a read-only Cypher query returned' })
export class CypherResult {
  @Field(() => [String], { description: 'Column names, in order' }) columns!: string[];
  @Field(() => [JSONScalar], { description: 'One JSON array per row, values in column order' }) rows!: unknown[][];
  @Field({ description: 'True when the row limit (CYPHER_MAX_ROWS) cut the result' }) truncated!: boolean;
}

@Resolver()
export class CypherResolver {
  private readonly sandbox: CypherSandbox;

  constructor(@Inject(NEO4J_DRIVER) driver: Driver, @Inject(CONFIG) config: Config) {
    this.sandbox = new CypherSandbox(driver, { database: config.neo4j.database, timeoutMs: config.cypher.timeoutMs, maxRows: config.cypher.maxRows });
  }

  @RequireRole('analyst')
  @Query(() => CypherResult, {
    description:
      'Read-only Cypher for analysts: a read transaction with a timeout (CYPHER_TIMEOUT_MS) and a row limit (CYPHER_MAX_ROWS); ' +
      'writes, administration, files, network and procedures outside the allow-list are refused (SECURITY.md)',
  })
  cypher(
    @Args('query') query: string,
    @Args('params', { type: () => JSONScalar, nullable: true, description: 'Parameters: a JSON object, used as $name' }) params: unknown,
    @Context() ctx: GraphQLContext,
  ): Promise<CypherResult> {
    return this.sandbox.run(query, params, { actor: ctx.principal.id });
  }
}
