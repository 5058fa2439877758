import { generateDemoHistory } from './generate';

const options = { people: 40, incidents: 300, seed: 42 };

describe('demo history generator', () => {
  const lines = generateDemoHistory(options);
  const of = (type: string) => lines.filter((line) => line.type === type);
  const streamOf = (data: Record<string, unknown>) => String(data.incidentId ?? data.teamId ?? data.serviceId ?? data.personId);

  it('is deterministic for a seed and differs for another', () => {
    expect(generateDemoHistory(options)).toEqual(lines);
    expect(generateDemoHistory({ ...options, seed: 43 })).not.toEqual(lines);
  });

  it('keeps occurredAt non-decreasing in every stream (the file is in time order)', () => {
    const times = lines.map((line) => Date.parse(String(line.data.occurredAt)));
    expect(times.every((time, i) => i === 0 || time >= times[i - 1])).toBe(true);
    expect(new Set(lines.map((line) => streamOf(line.data))).size).toBeGreaterThan(options.incidents);
  });

  it('has the variety a demo needs', () => {
    expect(of('PersonRegistered')).toHaveLength(40);
    expect(of('IncidentDeclared')).toHaveLength(300);
    expect(new Set(of('PersonRegistered').map((line) => line.data.timeZone)).size).toBeGreaterThan(3);
    // People in two teams at once, team moves, ownership changes, time zone moves, on-call shifts.
    const memberships = new Map<string, number>();
    for (const line of of('TeamMemberAdded')) memberships.set(String(line.data.personId), (memberships.get(String(line.data.personId)) ?? 0) + 1);
    expect([...memberships.values()].some((count) => count >= 2)).toBe(true);
    expect(of('TeamMemberRemoved').length).toBeGreaterThan(0);
    expect(of('ServiceOwnershipAssigned').length).toBeGreaterThan(of('ServiceRegistered').length);
    expect(of('PersonUpdated').length).toBeGreaterThan(0);
    expect(of('OnCallShiftScheduled').length).toBeGreaterThan(0);
    // Paging without joining and joining without paging.
    const byIncident = (type: string) => new Set(of(type).map((line) => `${String(line.data.incidentId)}/${String(line.data.personId)}`));
    const paged = byIncident('ResponderPaged');
    const joined = byIncident('ResponderJoined');
    expect([...paged].some((key) => !joined.has(key))).toBe(true);
    expect([...joined].some((key) => !paged.has(key))).toBe(true);
    // A few people help everywhere: the busiest responder joins far more incidents than the median one.
    const joins = new Map<string, number>();
    for (const line of of('ResponderJoined')) joins.set(String(line.data.personId), (joins.get(String(line.data.personId)) ?? 0) + 1);
    const counts = [...joins.values()].sort((a, b) => a - b);
    expect(counts.at(-1)!).toBeGreaterThan(3 * counts[Math.floor(counts.length / 2)]);
    // Heavy-tailed durations: the longest incident lasts far longer than the median one.
    const declared = new Map(of('IncidentDeclared').map((line) => [line.data.incidentId, Date.parse(String(line.data.occurredAt))]));
    const durations = of('IncidentResolved')
      .map((line) => Date.parse(String(line.data.occurredAt)) - declared.get(line.data.incidentId)!)
      .sort((a, b) => a - b);
    expect(durations.at(-1)!).toBeGreaterThan(10 * durations[Math.floor(durations.length / 2)]);
    for (const type of [
      'CommandHandedOff',
      'IncidentSeverityChanged',
      'IncidentReopened',
      'ActionItemCompleted',
      'ActionItemCancelled',
      'IncidentCostEstimated',
      'ReviewPublished',
      'ContributingFactorIdentified',
      'ResponderLeft',
    ]) {
      expect([type, of(type).length > 0]).toEqual([type, true]);
    }
    // Action items in every state: some stay open.
    const closed = new Set([...of('ActionItemCompleted'), ...of('ActionItemCancelled')].map((line) => `${String(line.data.incidentId)}/${String(line.data.actionItemId)}`));
    expect(of('ActionItemCreated').some((line) => !closed.has(`${String(line.data.incidentId)}/${String(line.data.actionItemId)}`))).toBe(true);
  });

  it('refuses too few people', () => {
    expect(() => generateDemoHistory({ people: 2, incidents: 1, seed: 1 })).toThrow('people (min)');
  });
});
