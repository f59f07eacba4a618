/** Moved to src/model/target.ts (the data model); this path re-exports it. */
export * from './model/target.js';
