import type { NewEvent } from '@app/domain';
import { WrongExpectedRevision, type AppendResult, type AppendWrite, type EventStore } from '@app/event-store';
import type { LineProblem, ParsedLine } from './parse-line';
import { StreamCache } from './stream-cache';
import { acceptInto, checkStreamRules } from './stream-rules';

export interface ImportProgress {
  /** Non-blank lines (or list items) read so far. */
  lines: number;
  /** Input bytes consumed so far (0 for a list). */
  bytes: number;
  /** Lines that passed every check; in a dry run, what a real run would append. */
  accepted: number;
  appended: number;
  skippedDuplicates: number;
  /** Lines with at least one problem; nothing of them is appended. */
  rejected: number;
}

export interface ImportSummary extends ImportProgress {
  dryRun: boolean;
  /** Stopped by the signal before the end; running the same input again resumes. */
  stopped: boolean;
  /** The first maxProblems problems, in line order. */
  problems: LineProblem[];
  problemsOmitted: number;
  /** Global position of the last appended event; null when nothing was appended. */
  lastPosition: string | null;
  warnings: string[];
}

export interface ImportOptions {
  /** Check everything, rules included, and append nothing. */
  dryRun?: boolean;
  /** Lines per atomic append (one transaction, one fsync). Default 500. */
  batchSize?: number;
  /** A batch is also cut when its events reach this many input bytes. Default 16 MiB. */
  maxBatchBytes?: number;
  /** Stops reading; the batch in hand is still appended, then the summary says stopped. */
  signal?: AbortSignal;
  /** After every batch. */
  onProgress?(progress: ImportProgress): void | Promise<void>;
  /** Every problem, in line order, as soon as its batch is settled. */
  onProblem?(problem: LineProblem): void;
  maxProblems?: number;
  /** Streams whose state is kept between batches. Default 10,000. */
  cacheSize?: number;
  /** Events those streams may hold in all; memory grows with it. Default 50,000. */
  cacheEvents?: number;
  /** Times a batch is checked again after another writer changed one of its streams. Default 5. */
  maxAttempts?: number;
  /** Append nothing of a batch that has any problem (importEvents over GraphQL: one list, one batch). */
  allOrNothing?: boolean;
}

export interface ImportItem {
  parsed: ParsedLine;
  bytes: number;
}

interface BatchOutcome {
  writes: AppendWrite[];
  problems: LineProblem[];
  rejected: number;
  accepted: number;
  duplicates: number;
}

/**
 * Appends checked lines batch by batch. Each batch is decided on the cached stream states, then
 * appended in one atomic appendMany; a batch another writer overtook is decided again from the
 * store. A store without appendMany gets one append per stream run: not atomic across streams,
 * and what it appended before a conflict counts as duplicates when the batch is decided again.
 */
export class BatchImporter {
  private readonly cache: StreamCache;
  private readonly batchSize: number;
  private readonly maxBatchBytes: number;
  private pending: ImportItem[] = [];
  private pendingBytes = 0;
  private dirtyEvicted = 0;
  private readonly progress: ImportProgress = { lines: 0, bytes: 0, accepted: 0, appended: 0, skippedDuplicates: 0, rejected: 0 };
  private readonly problems: LineProblem[] = [];
  private problemsOmitted = 0;
  private lastPosition: bigint | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly options: ImportOptions = {},
  ) {
    this.cache = new StreamCache(store, { maxStreams: options.cacheSize, maxEvents: options.cacheEvents });
    this.batchSize = Math.max(1, options.batchSize ?? 500);
    this.maxBatchBytes = options.maxBatchBytes ?? 16 * 1024 * 1024;
  }

  async add(item: ImportItem): Promise<void> {
    this.pending.push(item);
    this.pendingBytes += item.bytes;
    if (this.pending.length >= this.batchSize || this.pendingBytes >= this.maxBatchBytes) await this.flush();
  }

  async finish(stopped: boolean): Promise<ImportSummary> {
    await this.flush();
    const warnings =
      this.dirtyEvicted > 0
        ? [
            `dry run: ${this.dirtyEvicted} streams with events of this file left the stream cache ` +
              `(${this.cache.maxStreams} streams, ${this.cache.maxEvents} events); ` +
              'later lines on them were checked against the stored log only, so their rule problems may be missed or spurious',
          ]
        : [];
    return {
      ...this.progress,
      dryRun: this.options.dryRun ?? false,
      stopped,
      problems: this.problems,
      problemsOmitted: this.problemsOmitted,
      lastPosition: this.lastPosition === null ? null : this.lastPosition.toString(),
      warnings,
    };
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.decideBatch(batch);
      const touched = outcome.writes.map((write) => write.streamId);
      if (this.options.dryRun || (this.options.allOrNothing && outcome.problems.length > 0)) {
        if (!this.options.dryRun) this.cache.drop(touched);
        this.settle(batch.length, bytes, outcome, []);
        break;
      }
      try {
        this.settle(batch.length, bytes, outcome, await this.write(outcome.writes));
        break;
      } catch (error) {
        // The cached states took this batch's events in; without the append they are wrong.
        this.cache.drop(touched);
        if (!(error instanceof WrongExpectedRevision) || attempt >= maxAttempts) throw error;
      }
    }
    this.dirtyEvicted += this.cache.trim(new Set(batch.flatMap(({ parsed }) => (parsed.ok ? [parsed.event.streamId] : []))));
    await this.options.onProgress?.({ ...this.progress });
  }

  private async decideBatch(batch: readonly ImportItem[]): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { writes: [], problems: [], rejected: 0, accepted: 0, duplicates: 0 };
    const touched = new Set<string>();
    try {
      for (const { parsed } of batch) {
        if (!parsed.ok) {
          outcome.problems.push(...parsed.problems);
          outcome.rejected += 1;
          continue;
        }
        const { event } = parsed;
        const entry = await this.cache.get(event.streamId);
        if (entry.ids.has(event.id)) {
          outcome.duplicates += 1;
          continue;
        }
        const refused = checkStreamRules(event, entry.state);
        if (refused.length > 0) {
          outcome.problems.push(...refused);
          outcome.rejected += 1;
          continue;
        }
        const expected = entry.revision;
        acceptInto(entry, event);
        if (this.options.dryRun) entry.dirty = true;
        touched.add(event.streamId);
        outcome.accepted += 1;
        const appended: NewEvent<string> = { id: event.id, type: event.type, data: event.data, metadata: event.metadata };
        const last = outcome.writes.at(-1);
        // Consecutive events of one stream share a write; otherwise file order is kept across streams.
        if (last?.streamId === event.streamId) last.events.push(appended);
        else outcome.writes.push({ streamId: event.streamId, events: [appended], expectedRevision: expected === -1 ? 'no_stream' : expected });
      }
      return outcome;
    } catch (error) {
      this.cache.drop(touched);
      throw error;
    }
  }

  private async write(writes: AppendWrite[]): Promise<AppendResult[]> {
    if (writes.length === 0) return [];
    if (this.store.appendMany) return this.store.appendMany(writes);
    const results: AppendResult[] = [];
    for (const write of writes) results.push(await this.store.append(write.streamId, write.events, { expectedRevision: write.expectedRevision }));
    return results;
  }

  private settle(lines: number, bytes: number, outcome: BatchOutcome, results: AppendResult[]): void {
    this.progress.lines += lines;
    this.progress.bytes += bytes;
    this.progress.accepted += outcome.accepted;
    this.progress.skippedDuplicates += outcome.duplicates;
    this.progress.rejected += outcome.rejected;
    for (const result of results) {
      this.progress.appended += result.appended;
      if (result.appended > 0 && (this.lastPosition === null || BigInt(result.position) > this.lastPosition)) this.lastPosition = BigInt(result.position);
    }
    const maxProblems = this.options.maxProblems ?? 1000;
    for (const problem of outcome.problems) {
      this.options.onProblem?.(problem);
      if (this.problems.length < maxProblems) this.problems.push(problem);
      else this.problemsOmitted += 1;
    }
  }
}

/** Feeds items to a BatchImporter until they end or the signal stops it. */
export async function importItems(
  store: EventStore,
  items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const importer = new BatchImporter(store, options);
  let stopped = false;
  for await (const item of items) {
    if (options.signal?.aborted) {
      stopped = true;
      break;
    }
    await importer.add(item);
  }
  return importer.finish(stopped);
}
