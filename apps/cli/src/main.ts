#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { resolveNeo4jArtifacts } from '@app/neo4j-local';
import { runNeo4jForeground } from '@app/neo4j-local/main';
import { demoGenerateCommand, demoLoadCommand, demoStartCommand, parseCount, parseSeed } from './demo';
import { importEventsCommand, parseBatchSize } from './import-events';
import { importBackstageCommand, importPagerDutyCommand, importStatuspageCommand } from './import-sources';
import { importIncidentIoCommand } from './import-incident-io';
import { parseProgressInterval, projectionStatus, rebuildCommand } from './projections';
import { registerKeysCommand } from './keys';

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
  imports
    .command('incident-io')
    .description(
      'append the incidents, role assignments, follow-ups and memberships of an incident.io export (API responses or webhook bodies, ' +
        'JSON or NDJSON) to the log of DATA_DIR; prints a JSON summary; exit 1 when records were rejected (docs/importers.md)',
    )
    .argument('<file>', 'JSON or NDJSON file')
    .option('--dry-run', 'check everything, rules included, and append nothing')
    .option('--batch-size <n>', 'events per atomic append', parseBatchSize, 500)
    .action(async (file: string, options: { dryRun?: boolean; batchSize: number }) => {
      process.exitCode = await importIncidentIoCommand(file, options, { stdout: process.stdout, stderr: process.stderr, env: process.env });
    });

  imports
    .command('backstage')
    .description(
      'bring a Backstage catalog (a YAML file or a directory of them, multi-document files included) into the log of DATA_DIR: ' +
        'groups, users, components, systems and resources become org events; only differences from the log are appended (docs/importers.md)',
    )
    .argument('<path>', 'catalog file or directory')
    .option('--as-of <time>', 'occurredAt of the changes (ISO-8601); default now')
    .option('--dry-run', 'check everything, rules included, and append nothing')
    .option('--batch-size <n>', 'events per atomic append', parseBatchSize, 500)
    .action(async (path: string, options: { asOf?: string; dryRun?: boolean; batchSize: number }) => {
      process.exitCode = await importBackstageCommand(path, options, { stdout: process.stdout, stderr: process.stderr, env: process.env });
    });

  registerKeysCommand(program);

  imports
    .command('statuspage')
    .description(
      'append a Statuspage-style incident history (JSON lines: id, title, impact, started_at, resolved_at, components, updates) ' +
        'to the log of DATA_DIR; prints a JSON summary; exit 1 when events were rejected (docs/importers.md)',
    )
    .argument('<file>', 'JSON lines file')
    .option('--dry-run', 'check everything, rules included, and append nothing')
    .option('--batch-size <n>', 'events per atomic append', parseBatchSize, 500)
    .action(async (file: string, options: { dryRun?: boolean; batchSize: number }) => {
      process.exitCode = await importStatuspageCommand(file, options, { stdout: process.stdout, stderr: process.stderr, env: process.env });
    });

  imports
    .command('pagerduty')
    .description(
      'bring a PagerDuty REST export (JSON responses of /users, /teams, /teams/{id}/members, /services, /schedules, /escalation_policies) ' +
        'into the log of DATA_DIR: people, teams, members, services, owners and on-call shifts; only differences are appended (docs/importers.md)',
    )
    .argument('<dir>', 'export directory (or one JSON file)')
    .option('--as-of <time>', 'occurredAt of the changes and start of the shift window (ISO-8601); default now')
    .option('--shift-days <n>', 'days of on-call shifts from --as-of', parseCount(1), 28)
    .option('--dry-run', 'check everything, rules included, and append nothing')
    .option('--batch-size <n>', 'events per atomic append', parseBatchSize, 500)
    .action(async (dir: string, options: { asOf?: string; shiftDays: number; dryRun?: boolean; batchSize: number }) => {
      process.exitCode = await importPagerDutyCommand(dir, options, { stdout: process.stdout, stderr: process.stderr, env: process.env });
    });

  const demo = program.command('demo').description('a generated, realistic incident history (deterministic for a seed)');
  const demoOptions = (command: Command) =>
    command
      .option('--people <n>', 'people in the organisation (at least 4)', parseCount(4), 60)
      .option('--incidents <n>', 'incidents over one year', parseCount(0), 500)
      .option('--seed <s>', 'random seed: the same seed gives the same history', parseSeed, 1);
  type DemoFlags = { people: number; incidents: number; seed: number; out?: string };
  const io = () => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });
  demoOptions(demo.command('generate').description('write the history as NDJSON (for `catalyst import events`) to stdout or --out'))
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (options: DemoFlags) => {
      process.exitCode = await demoGenerateCommand(options, io());
    });
  demoOptions(demo.command('load').description('generate a history into the log of DATA_DIR when that log is empty')).action(async (options: DemoFlags) => {
    process.exitCode = await demoLoadCommand(options, io());
  });
  demoOptions(demo.command('start').description('`demo load`, then start the API (what `npm run demo` runs)')).action(async (options: DemoFlags) => {
    process.exitCode = await demoStartCommand(options, io());
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
