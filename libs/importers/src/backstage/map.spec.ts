import { catalystId, desiredOrg, diffOrg, parseCatalogText, parseEntityRef } from './map';

const unknown = { team: () => ({ status: 'unknown' as const }), person: () => ({ status: 'unknown' as const }), service: () => ({ status: 'unknown' as const }) };

describe('Backstage mapping', () => {
  it('maps ids into the entity-id rule: the default namespace is dropped, another one becomes a prefix', () => {
    expect(catalystId('default', 'team-a')).toBe('team-a');
    expect(catalystId('development', 'guest')).toBe('development:guest');
    expect(catalystId('default', '_hidden')).toBeNull();
    expect(catalystId('default', 'x'.repeat(129))).toBeNull();
  });

  it('parses entity references with default kind and namespace', () => {
    expect(parseEntityRef('group:default/team-a', 'user', 'ns')).toEqual({ kind: 'group', namespace: 'default', name: 'team-a' });
    expect(parseEntityRef('team-a', 'group', 'ns')).toEqual({ kind: 'group', namespace: 'ns', name: 'team-a' });
    expect(parseEntityRef('User:guest', 'group', 'default')).toEqual({ kind: 'user', namespace: 'default', name: 'guest' });
    expect(parseEntityRef('a:b:c', 'group', 'default')).toBeNull();
  });

  it('reads multi-document YAML; members come from memberOf and spec.members; children set the parent; unknown kinds and bad documents are reported', () => {
    const { entities, skipped } = parseCatalogText(
      [
        'kind: Group\nmetadata: {name: org}\nspec: {children: [sre]}',
        'kind: Group\nmetadata: {name: sre}\nspec: {profile: {displayName: SRE}, members: [bob, user:ghost]}',
        'kind: User\nmetadata: {name: ana, annotations: {catalyst.dev/time-zone: Europe/Berlin}}\nspec: {memberOf: [sre], profile: {email: ana@x.io}}',
        'kind: User\nmetadata: {name: bob, annotations: {tz: Mars/Olympus}}\nspec: {}',
        'kind: Widget\nmetadata: {name: w}',
        'just text',
        '',
      ].join('\n---\n'),
      'org.yaml',
    );
    expect(skipped).toEqual([{ ref: 'org.yaml#6', reason: 'not a catalog entity: kind and metadata.name are required' }]);
    const org = desiredOrg(entities);
    expect(org.teams.get('sre')).toMatchObject({ name: 'SRE', parentTeamId: 'org', members: new Set(['bob', 'ana']) });
    expect(org.people.get('ana')).toMatchObject({ timeZone: 'Europe/Berlin', email: 'ana@x.io', name: 'ana' });
    expect(org.people.get('bob')?.timeZone).toBe('UTC');
    expect(org.skipped.map((skip) => skip.reason)).toEqual([
      'unknown kind Widget',
      'Mars/Olympus is not an IANA time zone; UTC is used',
      'dangling reference: user user:ghost is not in the catalog',
    ]);

    const first = diffOrg(org, unknown, '2026-01-01T00:00:00Z');
    expect(first.events.map((event) => event.type)).toEqual([
      'PersonRegistered',
      'PersonRegistered',
      'TeamFormed',
      'TeamFormed',
      'TeamMemberAdded',
      'TeamMemberAdded',
    ]);
    expect(first.events.every((event) => event.metadata.source === 'import:backstage' && event.data.occurredAt === '2026-01-01T00:00:00Z')).toBe(true);
  });

  it('emits only the differences from the stored state, and nothing when they agree', () => {
    const org = desiredOrg(parseCatalogText('kind: Group\nmetadata: {name: sre}\nspec: {members: [ana]}\n---\nkind: User\nmetadata: {name: ana}', 'f').entities);
    const stored = {
      ...unknown,
      person: () => ({ status: 'registered' as const, personId: 'ana', name: 'ana', timeZone: 'UTC' }),
      team: () => ({ status: 'active' as const, teamId: 'sre', name: 'sre', parentTeamId: null, members: new Set(['ana', 'bob']), shiftIds: new Set<string>() }),
    };
    expect(diffOrg(org, stored, 'T').events.map((event) => [event.type, event.data])).toEqual([['TeamMemberRemoved', { teamId: 'sre', personId: 'bob', occurredAt: 'T' }]]);
    const same = { ...stored, team: () => ({ ...stored.team(), members: new Set(['ana']) }) };
    expect(diffOrg(org, same, 'T').events).toEqual([]);
  });
});
