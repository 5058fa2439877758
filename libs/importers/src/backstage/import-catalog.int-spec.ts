import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importBackstageCatalog } from './import-catalog';
import { sharedData, tempStores } from '@test/support';

const CATALOG = sharedData('backstage');
const ACME = 'packages/catalog-model/examples/acme';

describe('catalyst import backstage on the real example catalog, into a real SQLite log', () => {
  const temp = tempStores('catalyst-backstage-');
  const openStore = () => temp.open();

  it('imports the catalog directory: org events, dangling references and unmapped kinds reported; a second import appends nothing', async () => {
    const store = openStore();
    const summary = await importBackstageCatalog(store, CATALOG, { asOf: '2026-01-01T00:00:00Z' });
    expect(summary.files).toBe(36);
    expect(summary.rejected).toBe(0);
    expect(summary.appended).toBe(summary.accepted);
    expect(summary.appended).toBe(Object.values(summary.changes).reduce((a, b) => a + b, 0));
    expect(summary.changes).toMatchObject({ TeamFormed: summary.entities.group });

    const teamA = await store.readStream('team-team-a');
    expect(teamA.map((event) => [event.type, event.data])).toEqual([
      ['TeamFormed', { teamId: 'team-a', name: 'team-a', parentTeamId: 'backstage', occurredAt: '2026-01-01T00:00:00Z' }],
      ...['breanna.davison', 'development:guest', 'guest', 'janelle.dawe', 'nigel.manning'].map((personId) => [
        'TeamMemberAdded',
        { teamId: 'team-a', personId, occurredAt: '2026-01-01T00:00:00Z' },
      ]),
    ]);
    expect(teamA.every((event) => event.metadata.source === 'import:backstage')).toBe(true);
    const backstage = await store.readStream('team-backstage');
    expect(backstage[0].data).toMatchObject({ teamId: 'backstage', name: 'Backstage', parentTeamId: 'infrastructure' });
    const breanna = await store.readStream('person-breanna.davison');
    expect(breanna.map((event) => event.data)).toEqual([
      { personId: 'breanna.davison', name: 'breanna.davison', email: 'breanna-davison@example.com', timeZone: 'UTC', occurredAt: '2026-01-01T00:00:00Z' },
    ]);
    const artistLookup = await store.readStream('service-artist-lookup');
    expect(artistLookup.map((event) => [event.type, event.data])).toContainEqual([
      'ServiceOwnershipAssigned',
      { serviceId: 'artist-lookup', teamId: 'team-a', occurredAt: '2026-01-01T00:00:00Z' },
    ]);
    // Location, Domain and API documents are read and reported, not mapped.
    expect(summary.skipped.some((skip) => /kind Location has no Catalyst mapping/.test(skip.reason))).toBe(true);
    expect(summary.skipped.some((skip) => /kind Domain has no Catalyst mapping/.test(skip.reason))).toBe(true);
    // `owner: guest` means group:guest, which is no group of the catalog; `user:guest` is a user, not a team.
    expect(summary.skipped).toContainEqual({
      ref: expect.stringMatching(/playback-order-component\.yaml#1 Component:playback-order spec\.owner$/),
      reason: 'dangling reference: group guest is not in the catalog',
    });
    expect(summary.skipped.filter((skip) => /is a user; Catalyst services are owned by teams/.test(skip.reason))).toHaveLength(2);

    const again = await importBackstageCatalog(store, CATALOG, { asOf: '2026-02-01T00:00:00Z' });
    expect([again.appended, again.accepted, again.rejected]).toEqual([0, 0, 0]);
    expect(again.changes).toEqual({});
  });

  it('a changed catalog appends only the changes: a user who left a group, a renamed team, a time zone, new services, a dropped dependency, a new owner', async () => {
    const store = openStore();
    const copy = join(temp.dir, 'catalog');
    cpSync(join(CATALOG, ACME), copy, { recursive: true });
    const first = await importBackstageCatalog(store, copy, { asOf: '2026-01-01T00:00:00Z' });
    expect(first.rejected).toBe(0);

    const teamA = join(copy, 'team-a-group.yaml');
    const yaml = readFileSync(teamA, 'utf8')
      // Nigel leaves team-a (and is in no group any more).
      .replace('  memberOf: [team-a]\n---\n# This user is added', '  memberOf: []\n---\n# This user is added')
      // team-a gets a display name, and Breanna a time zone.
      .replace('    # Intentional no displayName for testing\n    email: team-a@example.com', '    displayName: Team A\n    email: team-a@example.com')
      .replace('  name: breanna.davison\n', '  name: breanna.davison\n  annotations:\n    catalyst.dev/time-zone: Europe/Berlin\n');
    expect(yaml).not.toBe(readFileSync(teamA, 'utf8'));
    writeFileSync(teamA, yaml);
    // Two new services in one multi-document file: checkout depends on payments-db and on a resource not in the catalog.
    const services = (dependsOn: string[]) =>
      [
        { kind: 'Component', name: 'checkout', owner: 'team-a', dependsOn },
        { kind: 'Resource', name: 'payments-db', owner: 'group:default/team-b', dependsOn: [] },
      ]
        .map((s) => `apiVersion: backstage.io/v1alpha1\nkind: ${s.kind}\nmetadata:\n  name: ${s.name}\nspec:\n  owner: ${s.owner}\n  dependsOn: [${s.dependsOn.join(', ')}]\n`)
        .join('---\n');
    writeFileSync(join(copy, 'services.yaml'), services(['resource:payments-db', 'resource:gone-db']));

    const second = await importBackstageCatalog(store, copy, { asOf: '2026-03-01T00:00:00Z' });
    expect(second.rejected).toBe(0);
    expect(second.changes).toEqual({ TeamMemberRemoved: 1, TeamRenamed: 1, PersonUpdated: 1, ServiceRegistered: 2, ServiceOwnershipAssigned: 2, ServiceDependencyAdded: 1 });
    expect(second.appended).toBe(8);
    expect(second.skipped.map((skip) => skip.reason)).toContain('dangling reference: component, system or resource resource:gone-db is not in the catalog');
    expect((await store.readStream('service-checkout')).map((event) => [event.type, event.data])).toEqual([
      ['ServiceRegistered', { serviceId: 'checkout', name: 'checkout', occurredAt: '2026-03-01T00:00:00Z' }],
      ['ServiceOwnershipAssigned', { serviceId: 'checkout', teamId: 'team-a', occurredAt: '2026-03-01T00:00:00Z' }],
      ['ServiceDependencyAdded', { serviceId: 'checkout', dependsOnServiceId: 'payments-db', occurredAt: '2026-03-01T00:00:00Z' }],
    ]);
    const log = await store.readStream('team-team-a');
    expect(log.slice(-2).map((event) => [event.type, event.data])).toEqual([
      ['TeamRenamed', { teamId: 'team-a', name: 'Team A', occurredAt: '2026-03-01T00:00:00Z' }],
      ['TeamMemberRemoved', { teamId: 'team-a', personId: 'nigel.manning', occurredAt: '2026-03-01T00:00:00Z' }],
    ]);
    const breanna = await store.readStream('person-breanna.davison');
    expect(breanna.at(-1)?.data).toEqual({ personId: 'breanna.davison', timeZone: 'Europe/Berlin', occurredAt: '2026-03-01T00:00:00Z' });

    const third = await importBackstageCatalog(store, copy, { asOf: '2026-04-01T00:00:00Z' });
    expect(third.appended).toBe(0);

    // The dependency is dropped from the catalog, and payments-db moves to team-a.
    writeFileSync(join(copy, 'services.yaml'), services([]).replace('group:default/team-b', 'team-a'));
    const fourth = await importBackstageCatalog(store, copy, { asOf: '2026-05-01T00:00:00Z' });
    expect(fourth.changes).toEqual({ ServiceDependencyRemoved: 1, ServiceOwnershipAssigned: 1 });
    expect(fourth.appended).toBe(2);
  });
});
