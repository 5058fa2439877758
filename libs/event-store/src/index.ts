export * from './event-store';
export * from './polling-subscription';
export * from './sqlite/sqlite-event-store';
// Not the EventStoreDB adapter itself: loading it loads its gRPC client. openEventStoreDb loads it when it is chosen; its tests import its file.
export * from './eventstoredb/open';
export * from './command-handler';
export * from './uuid';
