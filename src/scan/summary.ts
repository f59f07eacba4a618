/**
 * What a fleet scan found, from its results alone (so a results file replays to the same summary):
 * verdicts, codes by count, the worst targets, and with several vantage points, the targets whose
 * behaviour depends on where they were scanned from.
 *
 * @example
 *   const s = summarize(results);
 *   s.verdicts.fail; // targets where HTTP/2 fails
 */
import type { Finding, Report, Verdict } from '../model/index.js';
import { CODES, SEVERITY_RANK, type Code } from '../model/codes.js';
import { vantageFinding, type VantageOutcome } from '../diagnosis/rules/vantage.js';
import { buildFinding } from '../diagnosis/index.js';
import { parseTarget } from '../model/target.js';
import type { ScanResult } from './run.js';

/** One target seen from several vantage points: a line of the NDJSON output too. */
export interface VantageComparison {
  schemaVersion: 1;
  type: 'comparison';
  key: string;
  url: string;
  vantages: VantageOutcome[];
  findings: Finding[];
}

export interface ScanSummary {
  targets: number;
  /** Results per verdict; `error`: h2doctor itself failed on the target. */
  verdicts: Record<Verdict | 'error', number>;
  /** Finding codes by the number of results that have them, most first. */
  codes: Array<{ code: Code; severity: string; count: number }>;
  /** The worst results: failing first, most errors first. */
  worst: Array<{ key: string; url: string; vantage?: string; verdict: Verdict | 'error'; codes: Code[] }>;
  /** Targets that behave differently from different vantage points. */
  comparisons: VantageComparison[];
  /** The worst verdict seen (an internal error counts as fail). */
  verdict: Verdict;
}

/**
 * What the summary needs of a result, and no more: a scan of a million targets keeps this in memory
 * (a few hundred bytes each), not the full reports (about 13 KB each), which go to the NDJSON file.
 */
export function slimResult(r: ScanResult): ScanResult {
  if (!r.report) return r;
  const { verdict, negotiated, findings, addresses } = r.report;
  const report = { verdict, negotiated: { protocol: negotiated.protocol }, findings: findings.map((f) => ({ code: f.code, severity: f.severity })), addresses: (addresses ?? []).map((a) => ({ address: a.address })) } as unknown as Report;
  return { ...r, report };
}

const VERDICT_RANK: Record<Verdict | 'error', number> = { error: 0, fail: 1, warn: 2, ok: 3 };

export function outcomeOf(r: ScanResult): VantageOutcome {
  const rep = r.report;
  return {
    vantage: r.vantage ?? 'default',
    ...(r.worker ? { worker: r.worker } : {}),
    verdict: rep ? rep.verdict : 'error',
    protocol: rep ? rep.negotiated.protocol : null,
    codes: rep ? rep.findings.map((f) => f.code) : [],
    ...(rep?.addresses?.length ? { addresses: rep.addresses.map((a) => a.address) } : {}),
  };
}

/**
 * Summarizes results. The last result of a (target, vantage) pair wins, so a file with a target
 * written twice (a retry) counts it once.
 */
export function summarize(results: Iterable<ScanResult>, worstN = 10): ScanSummary {
  const last = new Map<string, ScanResult>();
  for (const r of results) last.set(`${r.key}\u0000${r.vantage ?? ''}`, r);
  const verdicts: ScanSummary['verdicts'] = { ok: 0, warn: 0, fail: 0, error: 0 };
  const codeCount = new Map<Code, number>();
  const byKey = new Map<string, ScanResult[]>();
  const rows: ScanSummary['worst'] = [];
  for (const r of last.values()) {
    const o = outcomeOf(r);
    verdicts[o.verdict]++;
    for (const c of new Set(o.codes)) codeCount.set(c, (codeCount.get(c) ?? 0) + 1);
    rows.push({ key: r.key, url: r.url, ...(r.vantage ? { vantage: r.vantage } : {}), verdict: o.verdict, codes: o.codes });
    const list = byKey.get(r.key) ?? [];
    list.push(r);
    byKey.set(r.key, list);
  }
  const errorsOf = (codes: Code[]) => codes.filter((c) => CODES[c].severity === 'error').length;
  rows.sort((a, b) => VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] || errorsOf(b.codes) - errorsOf(a.codes) || b.codes.length - a.codes.length || a.key.localeCompare(b.key));
  const comparisons: VantageComparison[] = [];
  for (const [key, list] of byKey) {
    if (list.length < 2) continue;
    const outcomes = list.map(outcomeOf).sort((a, b) => a.vantage.localeCompare(b.vantage));
    const raw = vantageFinding(outcomes);
    const f = raw && buildFinding(raw.code, raw, parseTarget(list[0]!.url), raw.evidence, []);
    if (f) comparisons.push({ schemaVersion: 1, type: 'comparison', key, url: list[0]!.url, vantages: outcomes, findings: [f] });
  }
  const codes = [...codeCount].map(([code, count]) => ({ code, severity: CODES[code].severity, count }));
  codes.sort((a, b) => b.count - a.count || SEVERITY_RANK[a.severity as keyof typeof SEVERITY_RANK] - SEVERITY_RANK[b.severity as keyof typeof SEVERITY_RANK] || a.code.localeCompare(b.code));
  const verdict: Verdict = verdicts.fail || verdicts.error ? 'fail' : verdicts.warn || comparisons.length ? 'warn' : 'ok';
  return { targets: byKey.size, verdicts, codes, worst: rows.filter((r) => r.verdict !== 'ok').slice(0, worstN), comparisons, verdict };
}
