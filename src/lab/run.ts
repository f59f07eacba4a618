/**
 * Run the lab: start scenarios on loopback, diagnose each, compare with what is expected.
 */
import type { Code } from '../model/codes.js';
import { CODES } from '../model/codes.js';
import { diagnose } from '../diagnose.js';
import type { Report } from '../model/index.js';
import { limiter } from '../util/limit.js';
import { createLabPki, type LabPki } from './pki.js';
import { ALL_SCENARIOS as SCENARIOS } from './scenarios.js';
import type { LabScenario } from './helpers.js';

export interface LabResult {
  scenario: string;
  title: string;
  expected: Code[];
  found: Code[];
  pass: boolean;
  /** Why it failed: missing or unexpected codes, or an error. */
  problems: string[];
  durationMs: number;
  report?: Report;
}

/** Whether a diagnosis matches a scenario: every expected code found, nothing else beyond `allow`. */
export function judge(s: LabScenario, found: Code[]): string[] {
  const problems: string[] = [];
  for (const c of s.expect) if (!found.includes(c)) problems.push(`missing ${c}`);
  const allowed = new Set<Code>([...s.expect, ...(s.allow ?? [])]);
  for (const c of found) if (!allowed.has(c)) problems.push(`unexpected ${c} (${CODES[c].severity})`);
  return problems;
}

/**
 * Starts a scenario, diagnoses it, stops it. `caFile`: the lab root's file, named as `--cacert` in
 * the reproduce commands; `during`: runs on the report while the scenario still runs (the tests run
 * every reproduce command there).
 */
export async function runScenario(s: LabScenario, pki: LabPki, opts: { timeoutMs?: number; caFile?: string; during?: (report: Report) => Promise<void> } = {}): Promise<LabResult> {
  const t0 = performance.now();
  let running;
  try {
    running = await s.start({ pki });
  } catch (e) {
    return { scenario: s.id, title: s.title, expected: s.expect, found: [], pass: false, problems: [`could not start: ${(e as Error).message}`], durationMs: 0 };
  }
  try {
    const report = await diagnose(running.url, {
      // The lab is loopback: proxy variables of the environment never apply, a scenario's own options do.
      proxy: null,
      ...running.options,
      ca: pki.rootCa.certPem,
      ...(opts.caFile ? { caFile: opts.caFile } : {}),
      ...(running.resolve ? { resolve: running.resolve } : {}),
      timeoutMs: running.timeoutMs ?? opts.timeoutMs ?? 2000,
    });
    const found = report.findings.map((f) => f.code);
    const problems = judge(s, found);
    if (opts.during) await opts.during(report);
    return { scenario: s.id, title: s.title, expected: s.expect, found, pass: problems.length === 0, problems, durationMs: Math.round(performance.now() - t0), report };
  } catch (e) {
    return { scenario: s.id, title: s.title, expected: s.expect, found: [], pass: false, problems: [`diagnosis threw: ${(e as Error).stack}`], durationMs: Math.round(performance.now() - t0) };
  } finally {
    await running.stop();
  }
}

/** Every scenario (or those named), concurrently under a bound. */
export async function runLab(ids?: string[], opts: { concurrency?: number; timeoutMs?: number } = {}): Promise<LabResult[]> {
  const pki = await createLabPki();
  const chosen = ids?.length ? SCENARIOS.filter((s) => ids.includes(s.id)) : SCENARIOS;
  const run = limiter(opts.concurrency ?? 6);
  return Promise.all(chosen.map((s) => run(() => runScenario(s, pki, opts))));
}
