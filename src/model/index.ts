/**
 * The data model at the bottom of h2doctor: plain, JSON-serialisable data that flows
 * target → probes → evidence → diagnosis → report, and the errors the library throws.
 * It imports nothing above `wire/`.
 */
export * from './codes.js';
export * from './errors.js';
export * from './target.js';
export * from './answers.js';
export type * from './probes.js';
export type * from './tls-probes.js';
export type * from './upgrade-probes.js';
export type * from './client-probes.js';
export type * from './report.js';
export type * from './watch.js';
export type * from './trace.js';
export type * from './check.js';
