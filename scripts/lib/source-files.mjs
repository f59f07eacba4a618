/**
 * The TypeScript modules under a folder: `.ts` files, tests and declaration files left out. Shared by
 * the source checks (import-graph.mjs, sizes.mjs, jsdoc-examples.mjs).
 *
 * @example sourceFiles('src/report') // ['src/report/html.ts', …]
 */
import fs from 'node:fs';
import path from 'node:path';

export function sourceFiles(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}
