export * from './errors';
export * from './allow-list';
export * from './guard';
export * from './values';
export * from './runner';
