export * from './event-store';
export * from './polling-subscription';
export * from './sqlite/sqlite-event-store';
// The EventStoreDB adapter itself is imported from '@app/event-store/eventstoredb/eventstoredb-event-store' (tests): loading it loads its gRPC client.
export * from './eventstoredb/open';
export * from './command-handler';
export * from './uuid';
