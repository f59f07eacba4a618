/**
 * The scan summary for a terminal (pure: a summary in, text out), and the progress line.
 */
import type { ScanSummary } from './summary.js';

export interface Progress {
  done: number;
  total: number;
  failing: number;
  /** Milliseconds since the scan started. */
  elapsedMs: number;
}

function clock(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

/** `123/500 · 24.1/s · ETA 15s · 12 failing`, with a bar when `width` is given. */
export function progressLine(p: Progress, width?: number): string {
  const rate = p.elapsedMs > 0 ? (p.done * 1000) / p.elapsedMs : 0;
  const eta = rate > 0 ? (p.total - p.done) / rate : Infinity;
  const text = `${p.done}/${p.total} · ${rate.toFixed(1)}/s · ETA ${p.done >= p.total ? '0s' : clock(eta)} · ${p.failing} failing`;
  if (!width) return text;
  const barWidth = Math.max(10, Math.min(40, width - text.length - 4));
  const full = p.total ? Math.round((p.done / p.total) * barWidth) : barWidth;
  return `[${'#'.repeat(full)}${'.'.repeat(barWidth - full)}] ${text}`;
}

/** The summary table. */
export function renderSummary(s: ScanSummary, o: { elapsedMs?: number; width?: number } = {}): string {
  const width = Math.max(60, o.width ?? 80);
  const cut = (t: string, n: number) => (t.length > n ? `${t.slice(0, Math.max(1, n - 1))}…` : t);
  const lines: string[] = [];
  const v = s.verdicts;
  const rate = o.elapsedMs ? ` in ${(o.elapsedMs / 1000).toFixed(1)} s (${((s.targets * 60000) / o.elapsedMs).toFixed(0)} targets/min)` : '';
  lines.push(`${s.verdict === 'fail' ? '✗ FAIL' : s.verdict === 'warn' ? '! WARN' : '✓ OK'}  ${s.targets} targets${rate}`);
  lines.push(`  ok ${v.ok}  ·  warn ${v.warn}  ·  fail ${v.fail}${v.error ? `  ·  h2doctor error ${v.error}` : ''}`);
  if (s.codes.length) {
    lines.push('', 'Codes');
    const w = Math.max(...s.codes.map((c) => c.code.length));
    for (const c of s.codes) lines.push(`  ${String(c.count).padStart(6)}  ${c.severity.padEnd(7)}  ${c.code.padEnd(w)}`.trimEnd());
  }
  if (s.worst.length) {
    lines.push('', 'Worst targets');
    for (const r of s.worst) {
      const head = `  ${r.verdict.padEnd(5)} ${r.vantage ? `[${r.vantage}] ` : ''}`;
      lines.push(head + cut(`${r.key}  ${r.codes.join(', ')}`, width - head.length));
    }
  }
  if (s.comparisons.length) {
    lines.push('', `Vantage points disagree (${s.comparisons.length})`);
    for (const c of s.comparisons) {
      lines.push(`  ${cut(c.key, width - 2)}`);
      for (const o2 of c.vantages) lines.push(cut(`    ${o2.vantage.padEnd(12)} ${o2.verdict.padEnd(5)} ${o2.protocol ?? 'nothing works'}${o2.codes.length ? `  ${o2.codes.join(', ')}` : ''}`, width));
    }
  }
  return lines.join('\n') + '\n';
}
