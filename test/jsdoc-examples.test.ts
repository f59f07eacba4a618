/**
 * Every export of src/diagnosis/, src/probes/ and src/report/ has JSDoc with an @example (issue 10).
 * The exports that had none when the check was added are listed in scripts/jsdoc-examples.baseline.json:
 * a new export without one fails here, and so does a listed one that has one now (take it off the list).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASELINE, exportsOf, missingExamples } from '../scripts/jsdoc-examples.mjs';

const baseline: string[] = JSON.parse(fs.readFileSync(BASELINE, 'utf8'));

describe('JSDoc @example on every export of diagnosis/, probes/, report/', () => {
  it('no export lacks one but those listed in the baseline', () => {
    const missing = missingExamples();
    expect(missing.filter((m: string) => !baseline.includes(m))).toEqual([]);
  });

  it('the baseline only shrinks: every entry still lacks its example', () => {
    const missing = new Set(missingExamples());
    expect(baseline.filter((m) => !missing.has(m))).toEqual([]);
  });

  it('the checker reads declarations, their JSDoc and its @example', () => {
    const src = [
      '/**\n * x\n * @example f(1) // 2\n */\nexport function f(n: number) { return n + 1; }',
      '/** no example */\nexport const g = 1;',
      'export interface H { a: string }',
      "export { f as k } from './x.js';",
      'function notExported() {}',
    ].join('\n');
    expect(exportsOf(src, 'a.ts')).toEqual([
      { id: 'a.ts#f', example: true },
      { id: 'a.ts#g', example: false },
      { id: 'a.ts#H', example: false },
    ]);
  });
});
