#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { resolveNeo4jArtifacts } from '@app/neo4j-local';
import { runNeo4jForeground } from '@app/neo4j-local/main';
import { projectionStatus } from './projections';

/** `catalyst`: the command line. Each subcommand loads the same configuration as the service. */
export function buildCli(): Command {
  const program = new Command('catalyst').description('Catalyst: an incident knowledge graph').showHelpAfterError();

  const neo4j = program.command('neo4j').description('the local Neo4j Community server (no Docker)');
  neo4j
    .command('start')
    .description('resolve Neo4j Community and APOC from Maven Central (once) and run it in the foreground; Ctrl-C stops it')
    .action(async () => {
      process.exitCode = await runNeo4jForeground(process.env);
    });

  neo4j
    .command('install')
    .description('resolve Neo4j Community and APOC from Maven Central into the cache, without starting it')
    .action(async () => {
      const { classpath, pluginsDir } = await resolveNeo4jArtifacts();
      process.stdout.write(`${JSON.stringify({ jars: classpath.split(':').length, pluginsDir })}\n`);
    });

  const projections = program.command('projections').description('the graph projection');
  projections
    .command('status')
    .description('print the projection checkpoint, the log head and the lag as JSON')
    .action(async () => {
      process.stdout.write(`${JSON.stringify(await projectionStatus(process.env))}\n`);
    });

  return program;
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`catalyst: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
