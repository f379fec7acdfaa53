/**
 * The pure recurrence core: types, schema, normalisation, engine, zone arithmetic and exports.
 * No I/O and no hidden clock: every function that needs "now" takes it as a parameter.
 */
export * from './types';
export * from './schema';
export * from './normalize';
export * from './zones';
export * from './engine';
export * from './rrule-text';
export * from './json-schema';
