/**
 * The watch loop: a light diagnosis (the default plan, never the survey) every `everyMs`, start to
 * start, until `count` runs, `forMs` elapsed, or the signal aborts (Ctrl-C). Each run becomes a
 * history record handed to `onRun`. Bounded: each diagnosis has its per-probe deadlines, and the
 * wait between runs ends at once on abort.
 *
 * @example
 * const ac = new AbortController();
 * await watchLoop('https://example.com', { everyMs: 30_000, count: 10, signal: ac.signal }, (run) => log(run));
 */
import { diagnose as realDiagnose, type DiagnoseOptions } from '../diagnose.js';
import type { Report } from '../model/index.js';
import { toRecord } from './record.js';
import type { WatchRun } from '../model/watch.js';

export interface WatchLoopOptions {
  everyMs: number;
  /** Stop after this many runs. */
  count?: number;
  /** Stop once this much time has passed since the first run started (no new run starts after it). */
  forMs?: number;
  signal?: AbortSignal;
  /** The number of the first run (a resumed history continues its count). */
  firstSeq?: number;
  diagnoseOptions?: DiagnoseOptions;
  /** For tests: the diagnosis to run. */
  diagnose?: (url: string, o: DiagnoseOptions) => Promise<Report>;
}

export async function watchLoop(url: string, o: WatchLoopOptions, onRun: (run: WatchRun, report: Report) => void | Promise<void>): Promise<number> {
  const diag = o.diagnose ?? realDiagnose;
  const t0 = Date.now();
  let seq = o.firstSeq ?? 1;
  let done = 0;
  for (;;) {
    if (o.signal?.aborted) break;
    if (o.count !== undefined && done >= o.count) break;
    if (o.forMs !== undefined && Date.now() - t0 >= o.forMs) break;
    const start = Date.now();
    // Light: the default plan. A survey every 30 s would be a scan, not a watch.
    const report = await diag(url, { ...o.diagnoseOptions, survey: false });
    if (o.signal?.aborted && done > 0) break;
    await onRun(toRecord(report, seq++), report);
    done++;
    if (o.count !== undefined && done >= o.count) break;
    let wait = o.everyMs - (Date.now() - start);
    if (o.forMs !== undefined) wait = Math.min(wait, o.forMs - (Date.now() - t0));
    if (wait > 0) await sleep(wait, o.signal);
  }
  return done;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * A duration flag: `30s`, `1m`, `1h`, `1500ms`, or a bare number of seconds. Undefined when it does not parse.
 *
 * @example parseDuration('1h') // 3600000
 */
export function parseDuration(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}
