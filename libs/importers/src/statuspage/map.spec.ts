import { componentServiceId, mapStatuspageIncident } from './map';

describe('Statuspage mapping', () => {
  it('maps components to service ids', () => {
    expect(componentServiceId('Pull Requests')).toBe('pull-requests');
    expect(componentServiceId('Copilot AI Model Providers')).toBe('copilot-ai-model-providers');
    expect(componentServiceId('!!!')).toBeNull();
  });

  it('turns updates into notes, Monitoring into a mitigation, Resolved into a resolution, and a later Investigating into a reopening', () => {
    const { events, skipped } = mapStatuspageIncident({
      id: 42,
      title: 'Git is slow',
      impact: 'major',
      started_at: '2024-01-01T10:05:00Z',
      components: ['Git Operations', 'Git Operations', '???'],
      updates: [
        { at: '2024-01-01T10:00:00Z', status: 'Investigating', message: 'Looking' },
        { at: '2024-01-01T10:30:00Z', status: 'Monitoring', message: 'Fix deployed' },
        { at: '2024-01-01T11:00:00Z', status: 'Resolved', message: 'Done' },
        { at: '2024-01-01T12:00:00Z', status: 'Investigating', message: 'Back again' },
      ],
      resolved_at: '2024-01-01T13:00:00Z',
    });
    expect(skipped).toEqual(['statuspage:42: component "???" gives no service id']);
    expect(events.map((event) => [event.type, event.data.occurredAt])).toEqual([
      ['IncidentDeclared', '2024-01-01T10:00:00Z'], // the first update is earlier than started_at
      ['TimelineNoteAdded', '2024-01-01T10:00:00Z'],
      ['TimelineNoteAdded', '2024-01-01T10:30:00Z'],
      ['IncidentMitigated', '2024-01-01T10:30:00Z'],
      ['TimelineNoteAdded', '2024-01-01T11:00:00Z'],
      ['IncidentResolved', '2024-01-01T11:00:00Z'],
      ['TimelineNoteAdded', '2024-01-01T12:00:00Z'],
      ['IncidentReopened', '2024-01-01T12:00:00Z'],
      ['IncidentResolved', '2024-01-01T13:00:00Z'], // resolved_at closes the reopened incident
    ]);
    expect(events[0].data).toMatchObject({ incidentId: 'statuspage:42', severity: 'SEV2', summary: 'Looking', impactedServiceIds: ['git-operations'] });
    expect(events[1].data).toMatchObject({ noteId: 'update-1', text: 'Investigating: Looking' });
  });

  it('skips a record without an id, a title or a time, naming why', () => {
    expect(mapStatuspageIncident({ title: 'x' }).skipped).toEqual(['id: undefined is not a usable incident id']);
    expect(mapStatuspageIncident({ id: '1' }).skipped).toEqual(['statuspage:1: title is missing']);
    expect(mapStatuspageIncident({ id: '1', title: 't', updates: [] }).skipped).toEqual(['statuspage:1: neither started_at nor an update gives a start time']);
  });
});
