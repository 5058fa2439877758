import { randomUUID } from 'node:crypto';
import type { Driver } from 'neo4j-driver';
import pino from 'pino';
import type { NewEvent } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { Projector } from '../projection/projector';
import type { ProjectorOptions } from '../projection/projector-types';

export interface LogEntry {
  streamId: string;
  event: NewEvent<string>;
}

/** The stream an event belongs to, from its payload (EVENTS.md: incident, service, team, person). */
export function streamOf(data: Record<string, unknown>): string {
  if (typeof data.incidentId === 'string') return `incident-${data.incidentId}`;
  if (typeof data.serviceId === 'string') return `service-${data.serviceId}`;
  if (typeof data.teamId === 'string') return `team-${data.teamId}`;
  if (typeof data.personId === 'string') return `person-${data.personId}`;
  throw new Error(`no entity id in ${JSON.stringify(data)}`);
}

export function entry(type: string, data: Record<string, unknown>): LogEntry {
  return { streamId: streamOf(data), event: { id: randomUUID(), type, data, metadata: { schemaVersion: 1, source: 'test' } } };
}

export const silent = pino({ level: 'silent' });

/** Runs a projector until it has reached the log's head, then stops it. */
export async function projectToHead(
  driver: Driver,
  store: EventStore,
  name: string,
  options: Partial<Omit<ProjectorOptions, 'name'>> & { timeoutMs?: number } = {},
): Promise<Projector> {
  const { timeoutMs = 120_000, ...projectorOptions } = options;
  const projector = new Projector(driver, store, { batchSize: 100, onError: 'stop', logger: silent, ...projectorOptions, name });
  await projector.start();
  try {
    const head = await store.headPosition();
    if (!(await projector.waitForPosition(head, timeoutMs))) throw new Error(`projection ${name} did not reach ${head} (at ${projector.position})`);
  } finally {
    await projector.stop();
  }
  return projector;
}
