#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { resolveNeo4jArtifacts } from '@app/neo4j-local';
import { runNeo4jForeground } from '@app/neo4j-local/main';
import { importEventsCommand, parseBatchSize } from './import-events';
import { parseProgressInterval, projectionStatus, rebuildCommand } from './projections';

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
  projections
    .command('rebuild')
    .description('drop the graph and project the whole log again, with progress; Ctrl-C stops after the current batch (exit 130), running it again resumes')
    .option('--progress-interval <ms>', 'how often progress is printed', parseProgressInterval, 1000)
    .action(async (options: { progressInterval: number }) => {
      process.exitCode = await rebuildCommand({ progressIntervalMs: options.progressInterval }, { stdout: process.stdout, stderr: process.stderr, env: process.env });
    });

  const imports = program.command('import').description('bring history into the log');
  imports
    .command('events')
    .description(
      'append the events of an NDJSON file (one {type, data} per line; `-` reads stdin) to the log of DATA_DIR, ' +
        'checked like commands; prints a JSON summary; exit 1 when lines were rejected, 130 when stopped by Ctrl-C',
    )
    .argument('<file>', 'NDJSON file, or - for stdin')
    .option('--dry-run', 'check every line, rules included, and append nothing')
    .option('--batch-size <n>', 'lines per atomic append', parseBatchSize, 500)
    .action(async (file: string, options: { dryRun?: boolean; batchSize: number }) => {
      process.exitCode = await importEventsCommand(file, options, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
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
