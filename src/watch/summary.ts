/**
 * What flapped over a watch: for each resolver and address, the codes that came and went, when,
 * and how often. Pure: history records in, summary out, so a history file replays to the same
 * summary the watch printed when it ended.
 *
 * @example
 * const s = summarize(parseHistory(text).lines, url);
 * for (const f of s.flaps) console.log(f.code, f.address, f.changes.map((c) => c.at));
 */
import { CODES, type Code } from '../model/codes.js';
import type { Verdict } from '../model/index.js';
import type { HistoryLine, WatchRun } from '../model/watch.js';

import type { Row, Flap, Steady, WatchSummary } from '../model/watch.js';

const REPORT_LEVEL = '*';

/** Each run's rows: every address under every resolver that answered it; report-level codes on a `*` row. */
export function rowsOf(run: WatchRun): Array<Row & { verdict: Verdict; codes: Code[] }> {
  const out: Array<Row & { verdict: Verdict; codes: Code[] }> = [];
  for (const a of run.addresses) for (const r of a.resolvers) out.push({ resolver: r, address: a.address, verdict: a.verdict, codes: a.codes });
  const addrCodes = new Set(run.addresses.flatMap((a) => a.codes));
  const rest = run.codes.filter((c) => !addrCodes.has(c));
  // Codes of the whole run that no address carries (dns-no-address, addresses disagreeing…), on one row.
  out.push({ resolver: REPORT_LEVEL, address: REPORT_LEVEL, verdict: verdictOf(rest), codes: rest });
  return out;
}

function verdictOf(codes: Code[]): Verdict {
  const s = codes.map((c) => CODES[c].severity);
  return s.includes('error') ? 'fail' : s.includes('warning') ? 'warn' : 'ok';
}

const RANK: Record<Verdict, number> = { ok: 0, warn: 1, fail: 2 };
export const worse = (a: Verdict, b: Verdict): Verdict => (RANK[b] > RANK[a] ? b : a);

export function summarize(lines: readonly HistoryLine[], url?: string): WatchSummary {
  const runs = lines.filter((l): l is WatchRun => l.type === 'run' && (url === undefined || l.url === url));
  const u = url ?? runs[0]?.url ?? lines[0]?.url ?? '';
  const verdicts: Record<Verdict, number> = { ok: 0, warn: 0, fail: 0 };
  let worst: Verdict = 'ok';
  const rows = new Map<string, WatchSummary['rows'][number]>();
  for (const run of runs) {
    verdicts[run.verdict]++;
    worst = worse(worst, run.verdict);
    for (const r of rowsOf(run)) {
      const key = `${r.resolver}\u0000${r.address}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { resolver: r.resolver, address: r.address, results: [] }));
      row.results.push({ seq: run.seq, at: run.at, verdict: r.verdict, codes: r.codes });
    }
  }
  const flaps: Flap[] = [];
  const steady: Steady[] = [];
  for (const row of rows.values()) {
    const codes = [...new Set(row.results.flatMap((x) => x.codes))];
    for (const code of codes) {
      const seen = row.results.filter((x) => x.codes.includes(code)).length;
      const base = { resolver: row.resolver, address: row.address, code, severity: CODES[code].severity };
      if (seen === row.results.length) {
        steady.push({ ...base, runs: seen });
        continue;
      }
      const changes: Flap['changes'] = [];
      let had = false;
      row.results.forEach((x, i) => {
        const has = x.codes.includes(code);
        if (has !== had && (i > 0 || has)) changes.push({ at: x.at, seq: x.seq, change: has ? 'appeared' : 'cleared' });
        had = has;
      });
      const withCode = row.results.filter((x) => x.codes.includes(code));
      flaps.push({ ...base, seen, of: row.results.length, changes, first: withCode[0]!.at, last: withCode[withCode.length - 1]!.at });
    }
  }
  const out: WatchSummary = {
    schemaVersion: 1,
    type: 'summary',
    url: u,
    runs: runs.length,
    verdicts,
    worst,
    flaps,
    steady,
    // The report-level row only when it ever held a code.
    rows: [...rows.values()].filter((r) => r.address !== REPORT_LEVEL || r.results.some((x) => x.codes.length)),
  };
  if (runs.length) {
    out.from = runs[0]!.at;
    out.to = runs[runs.length - 1]!.at;
  }
  return out;
}

/** The summary in words, for a terminal or a log. */
export function renderSummary(s: WatchSummary): string {
  const out: string[] = [];
  const when = s.from ? ` from ${s.from} to ${s.to}` : '';
  out.push(`Summary of ${s.runs} run${s.runs === 1 ? '' : 's'} of ${s.url}${when}: ${s.verdicts.ok} ok, ${s.verdicts.warn} warn, ${s.verdicts.fail} fail (worst: ${s.worst})`);
  const where = (r: Row) => (r.address === REPORT_LEVEL ? 'the whole name' : `${r.address} (resolver ${r.resolver})`);
  if (!s.flaps.length) out.push('  nothing flapped');
  else {
    out.push('  flapped:');
    for (const f of s.flaps) {
      out.push(`  • ${f.code} (${f.severity}) on ${where(f)}: in ${f.seen} of ${f.of} runs`);
      for (const c of f.changes) out.push(`      ${c.at}  run ${c.seq}  ${c.change}`);
    }
  }
  if (s.steady.length) {
    out.push('  present in every run:');
    for (const f of s.steady) out.push(`  • ${f.code} (${f.severity}) on ${where(f)}: ${f.runs} runs`);
  }
  return out.join('\n') + '\n';
}
