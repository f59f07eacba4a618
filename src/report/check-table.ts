/**
 * The pass/fail table of `h2doctor check`: one row per check, and under a failed one a line per
 * failed expectation; then the totals. Colour only when asked; fitted to the terminal when its
 * width is known.
 */
import type { CheckResult } from '../model/index.js';
import { fitLines } from './layout.js';
import { styler } from './style.js';

/**
 * The pass/fail table: one row per check, and under a failed one a line per failed expectation.
 *
 * @example
 *   renderTable(results, { color: false, env: 'lab', wall: 312 });
 */
export function renderTable(results: readonly CheckResult[], o: { color: boolean; env: string; wall: number; width?: number }): string {
  const paint = styler(o.color);
  const names = { 31: 'red', 32: 'green', 2: 'dim' } as const;
  const c = (s: string, code: 31 | 32 | 2) => paint(s, names[code]);
  const wName = Math.max(5, ...results.map((r) => r.name.length));
  const wUrl = Math.min(60, Math.max(3, ...results.map((r) => r.url.length)));
  const lines = [`${'check'.padEnd(wName)}  ${'url'.padEnd(wUrl)}  result  time`];
  for (const r of results) {
    const verdict = r.error !== undefined ? c('ERROR', 31) : r.passed ? c('pass ', 32) : c('FAIL ', 31);
    const url = r.url.length > wUrl ? r.url.slice(0, wUrl - 1) + '…' : r.url;
    lines.push(`${r.name.padEnd(wName)}  ${url.padEnd(wUrl)}  ${verdict}   ${c(`${r.durationMs} ms`, 2)}`);
    const pad = ' '.repeat(4);
    if (r.error !== undefined) lines.push(`${pad}${c(`could not run: ${r.error}`, 31)}`);
    for (const f of r.failures) lines.push(`${pad}${c(`${f.expectation}: ${f.message}`, 31)}`);
  }
  const passed = results.filter((r) => r.passed).length;
  const errors = results.filter((r) => r.error !== undefined).length;
  const failed = results.length - passed;
  lines.push('');
  lines.push(`${passed} passed, ${failed} failed${errors > 0 ? ` (${errors} could not run)` : ''}  (${results.length} checks, env ${o.env}, ${o.wall} ms)`);
  // Fitted to a terminal; rows kept whole for a CI log (one row per check, for grep).
  return (o.width ? fitLines(lines, o.width) : lines).join('\n') + '\n';
}
