export * from './event-store';
export * from './polling-subscription';
export * from './sqlite/sqlite-event-store';
export * from './eventstoredb/eventstoredb-event-store';
export * from './command-handler';
export * from './uuid';
