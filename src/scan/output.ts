/**
 * The files of a fleet scan: NDJSON results (appended as each target finishes, read back for
 * `--resume` and for the summary), and a CSV of one row per result.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ScanResult } from './run.js';
import type { VantageComparison } from './summary.js';
import { outcomeOf, slimResult } from './summary.js';

/** Reads the result lines of an NDJSON file, slimmed to what the summary needs (comparison lines are passed over). */
export async function readResults(path: string): Promise<ScanResult[]> {
  if (!existsSync(path)) return [];
  const out: ScanResult[] = [];
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    let d: unknown;
    try {
      d = JSON.parse(line);
    } catch {
      // A line cut short by an interrupted run: the target is scanned again.
      continue;
    }
    const r = d as Partial<ScanResult>;
    // Only what the summary needs is kept: the full reports stay in the file.
    if (r && r.type === 'result' && typeof r.key === 'string' && typeof r.url === 'string') out.push(slimResult(r as ScanResult));
  }
  void n;
  return out;
}

export const ndjson = (r: ScanResult | VantageComparison) => JSON.stringify(r) + '\n';

export const CSV_HEADER = 'key,url,vantage,worker,verdict,protocol,alpn,tls_version,cipher,codes,duration_ms,finished_at,error\n';

const cell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One CSV row of a result. */
export function csvRow(r: ScanResult): string {
  const o = outcomeOf(r);
  const n = r.report?.negotiated;
  return [r.key, r.url, r.vantage, r.worker, o.verdict, o.protocol, n?.alpn, n?.tlsVersion, n?.cipher, o.codes.join(' '), r.report?.durationMs, r.finishedAt, r.error].map(cell).join(',') + '\n';
}
