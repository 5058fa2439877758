import type { EventType } from './events';

/** Metadata carried by every event (EVENTS.md, Envelope). */
export interface EventMetadata {
  schemaVersion?: number;
  correlationId?: string;
  causationId?: string;
  /** Person id or client name. */
  actor?: string;
  /** `graphql`, `import:ndjson`, `import:backstage`, ... */
  source?: string;
  [key: string]: unknown;
}

/** What a writer hands to the store: the store sets revision, position and recordedAt. */
export interface NewEvent<T extends string = EventType, D = Record<string, unknown>> {
  id: string;
  type: T;
  data: D;
  metadata: EventMetadata;
}

/** An event as the store keeps it. `position` is a decimal string (64-bit). */
export interface RecordedEvent<T extends string = string, D = Record<string, unknown>> {
  id: string;
  type: T;
  streamId: string;
  revision: number;
  position: string;
  data: D;
  metadata: EventMetadata;
  recordedAt: string;
}
