import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPagerDutyExport } from './import-dir';
import { sharedData, tempStores } from '@test/support';

const EXPORTS = sharedData('pagerduty-rest/pager/testdata');

describe('catalyst import pagerduty on the real REST exports, into a real SQLite log', () => {
  const temp = tempStores('catalyst-pd-rest-');
  const openStore = () => temp.open();

  it('imports TestPagerDuty: users with time zones, teams with members (manager -> lead), services with owners, schedule shifts; a second import appends nothing', async () => {
    const store = openStore();
    const export1 = join(EXPORTS, 'TestPagerDuty/apiserver');
    const summary = await importPagerDutyExport(store, export1, { asOf: '2024-04-10T00:00:00Z', shiftDays: 14 });
    expect(summary.rejected).toBe(0);
    expect(summary.records).toMatchObject({ users: 13, teams: 7, services: 2 });
    expect(summary.changes).toMatchObject({ PersonRegistered: 13, TeamFormed: 7, ServiceRegistered: 2, ServiceOwnershipAssigned: 2 });
    expect(summary.appended).toBe(Object.values(summary.changes).reduce((a, b) => a + b, 0));
    expect((await store.readStream('person-pagerduty:PXI6XNI'))[0].data).toMatchObject({ name: 'Acme Engineering', timeZone: 'America/New_York' });
    const platform = await store.readStream('team-pagerduty:PTEAM01');
    expect(platform[0].data).toMatchObject({ name: 'acme-platform' });
    const added = platform.filter((event) => event.type === 'TeamMemberAdded').map((event) => [event.data.personId, event.data.role ?? 'member']);
    expect(added).toEqual(['PU01A', 'PU01B', 'PU01C', 'PU01D', 'PU01E', 'PU01F', 'PU01G'].map((id, i) => [`pagerduty:${id}`, i === 0 ? 'lead' : 'member']));
    expect((await store.readStream('service-pagerduty:P4XMRL3')).map((event) => [event.type, event.data.teamId])).toEqual([
      ['ServiceRegistered', undefined],
      ['ServiceOwnershipAssigned', 'pagerduty:P5PH8KY'],
    ]);
    expect(summary.skipped.some((skip) => skip.reason.startsWith('restrictions are not applied'))).toBe(true);

    const again = await importPagerDutyExport(store, export1, { asOf: '2024-04-10T00:00:00Z', shiftDays: 14 });
    expect([again.appended, again.rejected]).toEqual([0, 0]);
  });

  it('turns schedule layers into one shift per rotation turn in the window (an ended layer gives none); a changed export appends only the changes', async () => {
    const store = openStore();
    const copy = join(temp.dir, 'mixed');
    cpSync(join(EXPORTS, 'TestPagerDutyMixedStrategiesWithEndedLayer/apiserver'), copy, { recursive: true });
    const first = await importPagerDutyExport(store, copy, { asOf: '2025-01-10T00:00:00Z', shiftDays: 14 });
    expect(first.rejected).toBe(0);
    const shifts = (await store.readStream('team-pagerduty:T4MIX')).filter((event) => event.type === 'OnCallShiftScheduled').map((event) => event.data);
    // Weekly primary (5 people from 2025-01-06T09:00Z): the turns of 01-06 (clipped to the window), 01-13, 01-20 (clipped).
    const primary = shifts.filter((shift) => String(shift.shiftId).includes(':L4PRIM:'));
    expect(primary.map((shift) => [shift.personId, shift.startsAt, shift.endsAt])).toEqual([
      ['pagerduty:U4AVERY', '2025-01-10T00:00:00.000Z', '2025-01-13T09:00:00.000Z'],
      ['pagerduty:U4BLAKE', '2025-01-13T09:00:00.000Z', '2025-01-20T09:00:00.000Z'],
      ['pagerduty:U4CAM', '2025-01-20T09:00:00.000Z', '2025-01-24T00:00:00.000Z'],
    ]);
    // Daily secondary (3 people from 2025-01-06T17:00Z): 15 turns overlap the 14 days; the one of 01-09 is the 4th turn -> Cam.
    const secondary = shifts.filter((shift) => String(shift.shiftId).includes(':L4SEC:'));
    expect(secondary).toHaveLength(15);
    expect(secondary[0]).toMatchObject({ shiftId: 'pagerduty:S4MIX:L4SEC:20250109T170000Z', personId: 'pagerduty:U4CAM' });
    expect(shifts.filter((shift) => String(shift.shiftId).includes(':L4END:'))).toEqual([]);
    expect(shifts).toHaveLength(first.changes.OnCallShiftScheduled);

    // Drew leaves the team; a week later the window moves on: only the removal and the new turns are appended.
    const membersFile = join(copy, 'teams-t4mix-members.json');
    const members = JSON.parse(readFileSync(membersFile, 'utf8')) as { members: { user: { id: string } }[] };
    members.members = members.members.filter((member) => member.user.id !== 'U4DREW');
    writeFileSync(membersFile, JSON.stringify(members));
    const second = await importPagerDutyExport(store, copy, { asOf: '2025-01-17T00:00:00Z', shiftDays: 14 });
    expect(second.rejected).toBe(0);
    expect(second.changes).toEqual({ TeamMemberRemoved: 1, OnCallShiftScheduled: 1 + 7 });
    const log = await store.readStream('team-pagerduty:T4MIX');
    expect(log.find((event) => event.type === 'TeamMemberRemoved')?.data).toEqual({ teamId: 'pagerduty:T4MIX', personId: 'pagerduty:U4DREW', occurredAt: '2025-01-17T00:00:00Z' });
  });
});
