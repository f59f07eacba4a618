/** Moved to src/model/tls-probes.ts (the data model); this path re-exports it. */
export type * from '../../model/tls-probes.js';
