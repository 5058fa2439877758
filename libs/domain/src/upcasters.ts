import type { RecordedEvent } from './envelope';

/** The payload version each event type is written in today. */
export const CURRENT_SCHEMA_VERSION = 1;

type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * Upcasters by `${type}@${fromVersion}`: each turns a stored payload of that version into the
 * next one. Stored events are never rewritten; readers only see the current version.
 */
const UPCASTERS: Record<string, Upcaster> = {
  // v0 ResponderJoined had no role: everyone who joined was a plain responder.
  'ResponderJoined@0': (data) => ({ ...data, role: data.role ?? 'responder' }),
};

export class UpcastError extends Error {
  constructor(readonly event: Pick<RecordedEvent, 'type' | 'position' | 'streamId'>, readonly schemaVersion: number) {
    super(`Cannot upcast ${event.type} v${schemaVersion} at position ${event.position} (${event.streamId}): no upcaster`);
    this.name = 'UpcastError';
  }
}

export function upcast<E extends RecordedEvent>(event: E): E {
  let version = typeof event.metadata.schemaVersion === 'number' ? event.metadata.schemaVersion : CURRENT_SCHEMA_VERSION;
  if (version === CURRENT_SCHEMA_VERSION) return event;
  if (version > CURRENT_SCHEMA_VERSION) throw new UpcastError(event, version);
  let data = event.data;
  while (version < CURRENT_SCHEMA_VERSION) {
    const step = UPCASTERS[`${event.type}@${version}`];
    // A version with no upcaster for this type had the same payload shape as the next one.
    if (step) data = step(data);
    version += 1;
  }
  return { ...event, data, metadata: { ...event.metadata, schemaVersion: CURRENT_SCHEMA_VERSION } };
}
