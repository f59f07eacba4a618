/** Moved to src/model/ (the data model); this path re-exports its types. */
export type * from './model/index.js';
