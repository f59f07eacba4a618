/** Moved to src/model/codes.ts (the data model); this path re-exports it. */
export * from '../model/codes.js';
