import type { EventStore } from '../event-store';
import type * as Adapter from './eventstoredb-event-store';

/**
 * The EventStoreDB adapter, loaded when it is chosen (EVENT_STORE=eventstoredb): its gRPC client
 * (`@eventstore/db-client`, its generated protobuf code and @grpc/grpc-js) is ~6 MB of live heap
 * and ~100 ms of start-up that a process on the SQLite log never uses. A smaller old generation
 * is also a shorter major GC (bench/RESULTS.md, 2026-12-03: the API's tail).
 */
export function openEventStoreDb(connectionString: string): EventStore {
  const { EventStoreDbEventStore } = require('./eventstoredb-event-store') as typeof Adapter;
  return new EventStoreDbEventStore(connectionString);
}
