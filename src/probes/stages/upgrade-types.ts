/** Moved to src/model/upgrade-probes.ts (the data model); this path re-exports it. */
export type * from '../../model/upgrade-probes.js';
