/** Entity ids: 1..128 chars of [A-Za-z0-9._:@-], starting with a letter or digit (EVENTS.md). */
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export const STREAM_CATEGORIES = ['person', 'team', 'service', 'incident'] as const;
export type StreamCategory = (typeof STREAM_CATEGORIES)[number];

export function isEntityId(value: unknown): value is string {
  return typeof value === 'string' && ENTITY_ID_PATTERN.test(value);
}

export function streamIdOf(category: StreamCategory, entityId: string): string {
  return `${category}-${entityId}`;
}

/** Category = text before the first `-` of a stream id. */
export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}
