/** Injection tokens for the adapters the composition root hands to Nest. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const NEO4J_DRIVER = Symbol('NEO4J_DRIVER');
export const PROJECTION_STATUS = Symbol('PROJECTION_STATUS');
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const METRICS = Symbol('METRICS');
