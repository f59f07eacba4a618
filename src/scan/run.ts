/**
 * A fleet scan on one machine: every target diagnosed with the default plan, `concurrency`
 * targets at once, every connection through one politeness gate shared by all targets.
 *
 * @example
 *   const results: ScanResult[] = [];
 *   await runScan(parseTargetList('https://a.example\n'), { concurrency: 16 }, (r) => results.push(r));
 */
import { diagnose, type DiagnoseOptions } from '../diagnose.js';
import type { Report } from '../model/index.js';
import { findProfile } from '../clients/load.js';
import { politeGate, POLITE_DEFAULTS, type GateStats, type PolitenessOptions } from './gate.js';
import type { ScanTarget } from './targets.js';

/** One line of a scan's NDJSON output. */
export interface ScanResult {
  schemaVersion: 1;
  type: 'result';
  key: string;
  url: string;
  /** The vantage label of the worker that scanned it (distributed scans). */
  vantage?: string;
  /** Which worker (host:pid) scanned it (distributed scans). */
  worker?: string;
  finishedAt: string;
  /** The full diagnosis; absent when the diagnosis itself failed (see `error`). */
  report?: Report;
  /** An internal error of h2doctor on this target (the scan goes on). */
  error?: string;
}

export interface ScanOptions {
  /** Targets diagnosed at once (default 32). */
  concurrency?: number;
  politeness?: Partial<PolitenessOptions>;
  /** Options for every diagnosis (timeout, CA…); per-target sni/resolve are added. */
  diagnose?: DiagnoseOptions;
  /** Collects the per-address peaks of the gate (tests). */
  stats?: GateStats;
  /** Stops taking new targets when aborted; the ones under way finish. */
  signal?: AbortSignal;
}

export const SCAN_DEFAULTS = { concurrency: 32 } as const;

/**
 * The diagnosis options of one target: the scan's, plus the target's own (its SNI, its pins, and
 * the client whose point of view its verdict takes: a name from the profile set or a profile file).
 */
export function targetOptions(t: ScanTarget, base: DiagnoseOptions = {}, cwd = process.cwd()): DiagnoseOptions {
  const client = t.client ? findProfile(t.client, cwd) : undefined;
  return {
    ...base,
    ...(client ? { clients: [client], pointOfView: client.id } : {}),
    ...(t.sni !== undefined ? { sni: t.sni } : {}),
    ...(t.resolve?.length ? { resolve: [...(base.resolve ?? []), ...t.resolve] } : {}),
  };
}

/** Diagnoses one target; never throws (an internal error becomes the result's `error`). */
export async function scanOne(t: ScanTarget, options: DiagnoseOptions, extra: Pick<ScanResult, 'vantage' | 'worker'> = {}): Promise<ScanResult> {
  const base = { schemaVersion: 1 as const, type: 'result' as const, key: t.key, url: t.url, ...extra };
  try {
    const report = await diagnose(t.url, targetOptions(t, options));
    return { ...base, finishedAt: new Date().toISOString(), report };
  } catch (e) {
    return { ...base, finishedAt: new Date().toISOString(), error: (e as Error)?.message ?? String(e) };
  }
}

/**
 * Where a target's connections go, before any lookup: its pinned addresses, else its host name.
 * Targets with the same key are diagnosed one at a time (their connections would wait on each
 * other's politeness slots anyway).
 */
export function hostKey(t: ScanTarget): string {
  const u = new URL(t.url);
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = u.port || (u.protocol === 'https:' || u.protocol === 'wss:' ? '443' : '80');
  for (const r of t.resolve ?? []) {
    const m = /^(\[[^\]]+\]|[^:]+|\*):(\d+):(.+)$/.exec(r);
    const h = m?.[1]?.replace(/^\[|\]$/g, '').toLowerCase();
    if (m && (h === host || h === '*') && m[2] === port) return m[3]!;
  }
  return host;
}

/** How far ahead in the list a free target is looked for when the next ones share a busy host. */
const LOOKAHEAD = 2000;

/** Scans every target; `onResult` is called as each one finishes (in finishing order). */
export async function runScan(targets: readonly ScanTarget[], o: ScanOptions, onResult: (r: ScanResult) => void | Promise<void>): Promise<void> {
  const politeness = { ...POLITE_DEFAULTS, ...o.politeness };
  const gate = politeGate(politeness, o.stats);
  // One target's own connections at once never exceed the per-address limit: no probe waits on a slot its siblings hold.
  const options: DiagnoseOptions = { concurrency: politeness.perAddress, ...o.diagnose, connectionGate: gate };
  const pending = [...targets];
  const busy = new Set<string>();
  let wake: Array<() => void> = [];
  const take = (): ScanTarget | undefined => {
    const n = Math.min(pending.length, LOOKAHEAD);
    for (let i = 0; i < n; i++) {
      const k = hostKey(pending[i]!);
      if (!busy.has(k)) {
        busy.add(k);
        return pending.splice(i, 1)[0];
      }
    }
    return undefined;
  };
  const worker = async () => {
    while (pending.length && !o.signal?.aborted) {
      const t = take();
      if (!t) {
        await new Promise<void>((r) => wake.push(r));
        continue;
      }
      try {
        await onResult(await scanOne(t, options));
      } finally {
        busy.delete(hostKey(t));
        const w = wake;
        wake = [];
        for (const f of w) f();
      }
    }
  };
  const n = Math.max(1, Math.min(o.concurrency ?? SCAN_DEFAULTS.concurrency, targets.length));
  await Promise.all(Array.from({ length: n }, worker));
}
