import type { RecordedEvent } from './envelope';
import { CURRENT_SCHEMA_VERSION, UpcastError, upcast } from './upcasters';

function recorded(type: string, data: Record<string, unknown>, schemaVersion?: number): RecordedEvent {
  return {
    id: '7d3f1c1e-5a4b-4c1e-9f00-000000000001',
    type,
    streamId: 'incident-INC-1042',
    revision: 3,
    position: '9007199254740993',
    data,
    metadata: { ...(schemaVersion === undefined ? {} : { schemaVersion }), source: 'import:ndjson', actor: 'ana' },
    recordedAt: '2026-03-01T09:00:00Z',
  };
}

const v0Joined = { incidentId: 'INC-1042', personId: 'bob', occurredAt: '2020-05-01T10:00:00Z' };

describe('upcast', () => {
  it('is at version 1 today', () => {
    expect(CURRENT_SCHEMA_VERSION).toBe(1);
  });

  it('reads a v0 ResponderJoined without a role as a responder at schemaVersion 1', () => {
    const stored = recorded('ResponderJoined', v0Joined, 0);
    expect(upcast(stored)).toEqual({
      ...stored,
      data: { ...v0Joined, role: 'responder' },
      metadata: { schemaVersion: 1, source: 'import:ndjson', actor: 'ana' },
    });
  });

  it('never rewrites the stored event', () => {
    const stored = recorded('ResponderJoined', v0Joined, 0);
    const copy = structuredClone(stored);
    upcast(stored);
    expect(stored).toEqual(copy);
  });

  it('keeps a role a v0 ResponderJoined already carried', () => {
    const stored = recorded('ResponderJoined', { ...v0Joined, role: 'commander' }, 0);
    expect(upcast(stored).data.role).toBe('commander');
  });

  it('raises a v0 event of a type whose payload did not change to version 1 unchanged', () => {
    const data = { incidentId: 'INC-1042', occurredAt: '2020-05-01T10:00:00Z' };
    const upcasted = upcast(recorded('IncidentMitigated', data, 0));
    expect(upcasted.data).toEqual(data);
    expect(upcasted.metadata.schemaVersion).toBe(1);
  });

  it('returns a v1 event unchanged', () => {
    const stored = recorded('ResponderJoined', { ...v0Joined, role: 'expert' }, 1);
    expect(upcast(stored)).toBe(stored);
  });

  it('treats an event without schemaVersion as the current version', () => {
    const stored = recorded('ResponderJoined', { ...v0Joined, role: 'scribe' });
    expect(upcast(stored)).toBe(stored);
  });

  it('refuses a version above the current one with UpcastError', () => {
    const stored = recorded('ResponderJoined', v0Joined, 2);
    expect(() => upcast(stored)).toThrow(UpcastError);
    expect(() => upcast(stored)).toThrow(/ResponderJoined v2 at position 9007199254740993 \(incident-INC-1042\)/);
  });
});
