import { upcast } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { emptyStream, foldStored, type StreamEntry } from './stream-rules';

export interface StreamCacheLimits {
  /** Streams kept. Default 10,000. */
  maxStreams?: number;
  /** Events kept, summed over the streams (what memory grows with). Default 50,000. */
  maxEvents?: number;
}

/**
 * Stream states for the importer, least recently used first out, so memory stays bounded however
 * long the file is. A miss folds the stream from the store, page by page.
 */
export class StreamCache {
  // A Map iterates in insertion order: re-inserting on every hit keeps the oldest first.
  private readonly entries = new Map<string, StreamEntry>();
  readonly maxStreams: number;
  readonly maxEvents: number;

  constructor(
    private readonly store: Pick<EventStore, 'readStream'>,
    limits: StreamCacheLimits = {},
    private readonly pageSize = 1_000,
  ) {
    this.maxStreams = limits.maxStreams ?? 10_000;
    this.maxEvents = limits.maxEvents ?? 50_000;
  }

  get size(): number {
    return this.entries.size;
  }

  async get(streamId: string): Promise<StreamEntry> {
    const hit = this.entries.get(streamId);
    if (hit) {
      this.entries.delete(streamId);
      this.entries.set(streamId, hit);
      return hit;
    }
    const loaded = await this.load(streamId);
    this.entries.set(streamId, loaded);
    return loaded;
  }

  /** Forgets streams whose cached state may no longer be the store's. */
  drop(streamIds: Iterable<string>): void {
    for (const streamId of streamIds) this.entries.delete(streamId);
  }

  /**
   * Evicts the least recently used streams while over a limit, but none of `keep` (the last batch's
   * streams: a stream bigger than the limit is not read again for every batch). Called between
   * batches only, so no stream with events waiting to be appended is evicted. Returns how many of
   * the evicted were dirty.
   */
  trim(keep: ReadonlySet<string> = new Set()): number {
    let events = 0;
    for (const entry of this.entries.values()) events += entry.ids.size;
    let dirty = 0;
    for (const [streamId, entry] of this.entries) {
      if ((this.entries.size <= this.maxStreams && events <= this.maxEvents) || keep.has(streamId)) break;
      if (entry.dirty) dirty += 1;
      events -= entry.ids.size;
      this.entries.delete(streamId);
    }
    return dirty;
  }

  private async load(streamId: string): Promise<StreamEntry> {
    const entry = emptyStream(streamId);
    for (;;) {
      const page = await this.store.readStream(streamId, { fromRevision: entry.revision + 1, maxCount: this.pageSize });
      for (const event of page) foldStored(entry, upcast(event));
      if (page.length < this.pageSize) return entry;
    }
  }
}
