import { readFile } from 'node:fs/promises';
import { isIsoDateTimeWithOffset, type PersonState, type ServiceState, type TeamState } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { filesUnder } from '../files';
import { importItems, type ImportOptions, type ImportSummary } from '../ndjson/importer';
import { parseEventObject } from '../ndjson/parse-line';
import { StreamCache } from '../ndjson/stream-cache';
import { BACKSTAGE_SOURCE, desiredOrg, diffOrg, parseCatalogText, type BackstageEntity, type BackstageSkip, type CurrentOrg } from './map';

export interface CatalogImportOptions extends ImportOptions {
  /** occurredAt of every event: the catalog has no business time of its own. Default: now. */
  asOf?: string;
  /** After every file read. */
  onFile?(file: string, filesRead: number): void;
}

export interface CatalogImportSummary extends ImportSummary {
  files: number;
  /** Entities read, by kind (lower case). */
  entities: Record<string, number>;
  /** Events the catalog differs from the log by, by type (before the core's checks). */
  changes: Record<string, number>;
  skipped: BackstageSkip[];
}

/** The YAML files of a path: the file itself, or every .yaml/.yml under a directory, sorted. */
export function catalogFiles(path: string): Promise<string[]> {
  return filesUnder(path, (name) => /\.ya?ml$/i.test(name));
}

/** Reads the stored state of the streams the catalog touches, through the importer's stream cache. */
export async function loadCurrentOrg(store: EventStore, ids: { teams: string[]; people: string[]; services: string[] }): Promise<CurrentOrg> {
  const cache = new StreamCache(store, { maxStreams: Number.MAX_SAFE_INTEGER, maxEvents: Number.MAX_SAFE_INTEGER });
  const teams = new Map<string, TeamState>();
  const people = new Map<string, PersonState>();
  const services = new Map<string, ServiceState>();
  for (const id of ids.teams) teams.set(id, (await cache.get(`team-${id}`)).state as TeamState);
  for (const id of ids.people) people.set(id, (await cache.get(`person-${id}`)).state as PersonState);
  for (const id of ids.services) services.set(id, (await cache.get(`service-${id}`)).state as ServiceState);
  return {
    team: (id) => teams.get(id) ?? { status: 'unknown' },
    person: (id) => people.get(id) ?? { status: 'unknown' },
    service: (id) => services.get(id) ?? { status: 'unknown' },
  };
}

/**
 * `catalyst import backstage PATH`: reads a catalog (a file or a directory of YAML, multi-document files
 * included) file by file, compares what it says with the org streams in the log and appends only the
 * differences, at `asOf`, through the importer core (every event checked against its stream, atomic
 * batches). Importing the same catalog again appends nothing.
 */
export async function importBackstageCatalog(store: EventStore, path: string, options: CatalogImportOptions = {}): Promise<CatalogImportSummary> {
  const asOf = options.asOf ?? new Date().toISOString();
  if (!isIsoDateTimeWithOffset(asOf)) throw new Error(`--as-of (isIso8601): ${asOf} is not an ISO-8601 time with Z or an offset`);
  const files = await catalogFiles(path);
  const entities: BackstageEntity[] = [];
  const skipped: BackstageSkip[] = [];
  for (const [index, file] of files.entries()) {
    const parsed = parseCatalogText(await readFile(file, 'utf8'), file);
    entities.push(...parsed.entities);
    skipped.push(...parsed.skipped);
    options.onFile?.(file, index + 1);
  }
  const desired = desiredOrg(entities);
  const current = await loadCurrentOrg(store, { teams: [...desired.teams.keys()], people: [...desired.people.keys()], services: [...desired.services.keys()] });
  const diff = diffOrg(desired, current, asOf);
  const changes: Record<string, number> = {};
  for (const event of diff.events) changes[event.type] = (changes[event.type] ?? 0) + 1;
  const items = diff.events.map((event, index) => ({
    bytes: 0,
    parsed: parseEventObject(event, index + 1, { path: `${event.type}(${Object.values(event.data).slice(0, 2).join(', ')})`, source: BACKSTAGE_SOURCE }),
  }));
  const summary = await importItems(store, items, options);
  return { ...summary, files: files.length, entities: desired.kinds, changes, skipped: [...skipped, ...desired.skipped, ...diff.skipped] };
}
