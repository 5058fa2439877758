import { pagerDutyOrg } from './map';

describe('PagerDuty REST mapping', () => {
  const window = { from: '2024-01-01T00:00:00Z', days: 2 };

  it('finds the team of a schedule through an escalation policy and rotates users per turn, turns before the virtual start included', () => {
    const org = pagerDutyOrg(
      [
        { file: 'teams.json', json: { teams: [{ id: 'T1', name: 'SRE', parent: null }] } },
        { file: 'users.json', json: { users: [{ id: 'U1', name: 'Ana', time_zone: 'Europe/Berlin', teams: [{ id: 'T1' }] }, { id: 'U2', name: 'Bo', time_zone: 'CET', teams: [] }] } },
        { file: 'escalation_policies.json', json: { escalation_policies: [{ id: 'E1', teams: [{ id: 'T1' }], escalation_rules: [{ targets: [{ id: 'S1', type: 'schedule_reference' }] }] }] } },
        {
          file: 'schedules.json',
          json: {
            schedules: [
              {
                id: 'S1',
                teams: [],
                schedule_layers: [
                  // Daily turns from 2024-01-02: the turn of 2024-01-01 is k = -1 -> the last user.
                  { id: 'L1', start: '2023-01-01T00:00:00Z', end: null, rotation_virtual_start: '2024-01-02T00:00:00Z', rotation_turn_length_seconds: 86400, users: [{ user: { id: 'U1' } }, { user: { id: 'U2' } }] },
                ],
              },
            ],
          },
        },
        { file: 'other.json', json: { hello: 1 } },
      ],
      window,
    );
    expect(org.people.get('pagerduty:U2')?.timeZone).toBe('UTC');
    expect(org.teams.get('pagerduty:T1')?.members).toEqual(new Set(['pagerduty:U1']));
    expect(org.teams.get('pagerduty:T1')?.shifts).toEqual([
      { shiftId: 'pagerduty:S1:L1:20240101T000000Z', personId: 'pagerduty:U2', startsAt: '2024-01-01T00:00:00.000Z', endsAt: '2024-01-02T00:00:00.000Z' },
      { shiftId: 'pagerduty:S1:L1:20240102T000000Z', personId: 'pagerduty:U1', startsAt: '2024-01-02T00:00:00.000Z', endsAt: '2024-01-03T00:00:00.000Z' },
    ]);
    expect(org.skipped.map((skip) => skip.reason)).toEqual([
      'no PagerDuty list in it (keys: hello)',
      'time_zone CET is not an IANA time zone; UTC is used',
    ]);
  });

  it('reads members from teams-<id>-members.json whatever the case of the id, reports dangling teams and schedules without a team', () => {
    const org = pagerDutyOrg(
      [
        { file: 'x/teams.json', json: { teams: [{ id: 'PTEAM01', name: 'Platform' }] } },
        { file: 'x/teams-pteam01-members.json', json: { members: [{ user: { id: 'U9' }, role: 'manager' }] } },
        { file: 'x/teams-nope-members.json', json: { members: [{ user: { id: 'U9' }, role: 'responder' }] } },
        { file: 'x/schedules.json', json: { schedules: [{ id: 'S9', schedule_layers: [] }] } },
      ],
      window,
    );
    const team = org.teams.get('pagerduty:PTEAM01')!;
    expect([...team.members]).toEqual(['pagerduty:U9']);
    expect(team.roles?.get('pagerduty:U9')).toBe('lead');
    expect(org.skipped.map((skip) => skip.reason)).toEqual([
      'dangling reference: user U9 is not in users; the membership is kept (the person stays a placeholder)',
      'dangling reference: team nope is not in the export',
      "schedule S9 belongs to no team (neither its teams nor an escalation policy's)",
    ]);
  });
});
