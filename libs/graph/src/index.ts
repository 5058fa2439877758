export * from './schema';
export * from './values';
export * from './graph-reader';
export * from './projection/handlers';
export * from './projection/apply-batch';
export * from './projection/checkpoint';
export * from './projection/projector';
export * from './queries/entities';
