export * from './ndjson/parse-line';
export * from './ndjson/lines';
export * from './ndjson/stream-rules';
export * from './ndjson/stream-cache';
export * from './ndjson/importer';
export * from './ndjson/import-ndjson';
export * from './ndjson/import-list';
