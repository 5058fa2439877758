import { SqliteEventStore } from '@app/event-store';
import { tempDir, uniqueId } from '@test/support';
import { sqlitePathOf, startTestApp } from '@test/support/app';
import { gqlOk } from '@test/support/graphql';
import { exitOf, spawnServer } from '@test/support/process';

const REGISTER = `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { streamId revision position } }`;

describe('durability of acknowledged commands', () => {
  it('loses nothing when the server is SIGKILLed right after a mutation returned', async () => {
    const dataDir = tempDir('catalyst-kill-');
    const projection = uniqueId('kill');
    const server = await spawnServer({ DATA_DIR: dataDir, NEO4J_URI: process.env.NEO4J_URI!, PROJECTION_NAME: projection });
    const acknowledged: { streamId: string; position: string }[] = [];
    const people = Array.from({ length: 20 }, () => uniqueId('p'));
    try {
      for (const personId of people) {
        const result = await gqlOk<{ registerPerson: { streamId: string; position: string } }>(server.url, REGISTER, {
          i: { personId, name: `Person ${personId}`, timeZone: 'Asia/Kolkata' },
        });
        acknowledged.push(result.registerPerson);
      }
    } finally {
      // No grace: the process dies the moment the last response arrived.
      server.child.kill('SIGKILL');
    }
    expect(await exitOf(server.child)).toEqual({ code: null, signal: 'SIGKILL' });

    const store = new SqliteEventStore(sqlitePathOf(dataDir));
    try {
      for (const { streamId, position } of acknowledged) {
        const events = await store.readStream(streamId);
        expect(events.map((e) => [e.type, e.position])).toEqual([['PersonRegistered', position]]);
      }
    } finally {
      await store.close();
    }

    const restarted = await startTestApp({ DATA_DIR: dataDir, PROJECTION_NAME: projection });
    try {
      const last = acknowledged[acknowledged.length - 1];
      const data = await gqlOk<{ projection: { position: string } }>(restarted.url, `{ projection { position } }`, {}, { 'X-Min-Position': last.position });
      expect(BigInt(data.projection.position)).toBeGreaterThanOrEqual(BigInt(last.position));
      const session = restarted.infrastructure.driver.session();
      try {
        const result = await session.run('MATCH (p:Person) WHERE p.id IN $ids AND p.placeholder = false RETURN count(p) AS n', { ids: people });
        expect(result.records[0].get('n').toNumber()).toBe(people.length);
      } finally {
        await session.close();
      }
    } finally {
      await restarted.close();
    }
  });
});
