import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { tempDir, uniqueId } from '@test/support';
import { startTestApp } from '@test/support/app';
import { gqlOk } from '@test/support/graphql';
import { exitOf, REPO_ROOT } from '@test/support/process';

/** The production topology: the projector in its own process, the API following its checkpoint. */
describe('projector as its own process', () => {
  it('projects what the API appended, and the API serves it with X-Min-Position', async () => {
    const dataDir = tempDir('catalyst-topology-');
    const projection = uniqueId('proc');
    const env = { ...process.env, DATA_DIR: dataDir, NEO4J_URI: process.env.NEO4J_URI!, PROJECTION_NAME: projection, LOG_LEVEL: 'info' };
    const api = await startTestApp({ DATA_DIR: dataDir, PROJECTION_NAME: projection, PROJECTOR: 'external' });
    const projector = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'apps', 'projector', 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: string[] = [];
    createInterface({ input: projector.stdout! }).on('line', (line) => logs.push(line));
    projector.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    try {
      const teamId = uniqueId('team');
      const formed = await gqlOk<{ formTeam: { position: string } }>(
        api.url,
        `mutation($i: FormTeamInput!) { formTeam(input: $i) { position } }`,
        { i: { teamId, name: 'Platform' } },
      );
      const read = await gqlOk<{ team: { name: string }; projection: { position: string } }>(
        api.url,
        `query($id: String!) { team(id: $id) { name } projection { position } }`,
        { id: teamId },
        { 'X-Min-Position': formed.formTeam.position },
      );
      expect(read.team.name).toBe('Platform');
      expect(BigInt(read.projection.position)).toBeGreaterThanOrEqual(BigInt(formed.formTeam.position));
      expect(logs.some((line) => line.includes('"projector started"'))).toBe(true);
    } finally {
      projector.kill('SIGTERM');
      const exit = await exitOf(projector);
      await api.close();
      expect(exit).toEqual({ code: 0, signal: null });
    }
  });
});
