/**
 * `h2doctor check` against the embedded lab, in process: examples/lab.yaml passes; a changed lab
 * behaviour fails the matching check with a clear reason (among them the seed's 426 check,
 * shared/seeds/002, against a 426 without Problem Details or without Upgrade).
 */
import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseChecksFile } from '../src/check/parse.js';
import { loadCa, runChecks } from '../src/check/run.js';
import type { CheckPlan } from '../src/check/types.js';
import type { CheckResult } from '../src/model/check.js';
import { startLabScenarios, labVariableNames } from '../src/cli/commands/lab-serve.js';
import { ALL_SCENARIOS } from '../src/lab/scenarios.js';
import { createLabPki } from '../src/lab/pki.js';

const EXAMPLE = new URL('../examples/lab.yaml', import.meta.url).pathname;
const exampleText = readFileSync(EXAMPLE, 'utf8');

/** The scenarios examples/lab.yaml names through its variables. */
const usedScenarios = ALL_SCENARIOS.filter((s) => exampleText.includes(`\${${labVariableNames(s.id).url}}`));
/** Scenarios the tests swap in to change a behaviour. */
const SWAPPED_IN = ['upgrade-426-h2-plain', 'upgrade-426-no-upgrade-field', 'websocket-subprotocol-rejected'];

let lab: Awaited<ReturnType<typeof startLabScenarios>>;
let caDir: string;

beforeAll(async () => {
  caDir = mkdtempSync(join(tmpdir(), 'h2d-check-'));
  lab = await startLabScenarios([...usedScenarios, ...ALL_SCENARIOS.filter((s) => SWAPPED_IN.includes(s.id))], caDir);
});
afterAll(async () => {
  await lab?.stop();
  rmSync(caDir, { recursive: true, force: true });
});

async function planFor(text: string, vars: Record<string, string>, file = EXAMPLE): Promise<{ plan: CheckPlan; ca?: string }> {
  const parsed = parseChecksFile(text, file, { env: 'lab', processEnv: vars });
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  const ca = await loadCa(parsed.plan!.environment, dirname(file), file);
  if (!ca.ok) throw new Error(ca.error.message);
  return { plan: parsed.plan!, ...(ca.pem ? { ca: ca.pem } : {}) };
}

const why = (results: CheckResult[]) =>
  results
    .filter((r) => !r.passed)
    .map((r) => `${r.name}: ${r.error ?? r.failures.map((f) => f.message).join('; ')}`)
    .join('\n');

describe('examples/lab.yaml against the lab', () => {
  test('names scenarios that exist, and they all started', () => {
    expect(usedScenarios.length).toBeGreaterThanOrEqual(9);
    expect(lab.notes).toEqual([]);
  });

  test('every check passes', async () => {
    const { plan, ca } = await planFor(exampleText, lab.vars);
    const results = await runChecks(plan, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    expect(results.map((r) => r.name)).toEqual(plan.checks.map((c) => c.name));
    expect(why(results)).toBe('');
    expect(results.every((r) => r.passed)).toBe(true);
  });

  test('a changed behaviour (healthy-tls now answers like tls-alpn-no-h2) fails that check, and only it, with clear reasons', async () => {
    const h = labVariableNames('healthy-tls');
    const b = labVariableNames('tls-alpn-no-h2');
    const vars = { ...lab.vars, [h.url]: lab.vars[b.url]!, [h.pin]: lab.vars[b.pin]! };
    const { plan, ca } = await planFor(exampleText, vars);
    const results = await runChecks(plan, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    const failed = results.filter((r) => !r.passed);
    expect(failed.map((r) => r.name)).toEqual(['healthy-tls speaks h2']);
    const f = failed[0]!;
    expect(f.error).toBeUndefined();
    const by = Object.fromEntries(f.failures.map((x) => [x.expectation, x]));
    expect(by.protocol?.message).toBe('expected protocol h2, negotiated http/1.1');
    expect(by.alpnIncludes?.message).toBe('expected ALPN to include h2, server selected http/1.1');
    expect(by['status.h2']?.message).toBe('expected 200 over h2, got no h2 response');
    expect(by.maxSeverity?.message).toMatch(/found alpn-no-h2 \(error\)/);
    expect(f.line).toBe(exampleText.split('\n').findIndex((l) => l.includes('name: healthy-tls speaks h2')) + 1);
  });

  test('a stricter expectation fails with the observed value: certValidDays 365 on a lab certificate', async () => {
    const text = exampleText.replace(/certValidDays: 14/, 'certValidDays: 365');
    const { plan, ca } = await planFor(text, lab.vars);
    const [r] = await runChecks({ ...plan, checks: plan.checks.slice(0, 1) }, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    expect(r!.passed).toBe(false);
    expect(r!.failures.map((x) => x.expectation)).toEqual(['certValidDays']);
    expect(r!.failures[0]!.message).toMatch(/^expected the certificate valid 365 more days, it expires \d{4}-\d\d-\d\dT.*\(\d+ days left\)$/);
  });

  test('a WebSocket expectation never passes without WebSocket evidence', async () => {
    const text = exampleText.replace(/maxSeverity: ok\n      certValidDays: 14/, 'maxSeverity: ok\n      certValidDays: 14\n      websocket: { subprotocol: chat }');
    const { plan, ca } = await planFor(text, lab.vars);
    const [r] = await runChecks({ ...plan, checks: plan.checks.slice(0, 1) }, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    expect(r!.passed).toBe(false);
    // Other expectations may fail too once a WebSocket probe runs (its findings count for maxSeverity).
    expect(r!.failures.some((x) => x.expectation.startsWith('websocket'))).toBe(true);
  });

  test('a check whose server is gone fails as one error naming the root cause (not a failure per expectation)', async () => {
    const gone = ALL_SCENARIOS.find((s) => s.id === 'tcp-refused')!;
    const pki = await createLabPki();
    const r0 = await gone.start({ pki });
    await r0.stop();
    const h = labVariableNames('healthy-tls');
    const vars = { ...lab.vars, [h.url]: r0.url, [h.pin]: r0.resolve![0]! };
    const { plan, ca } = await planFor(exampleText, vars);
    const [r] = await runChecks({ ...plan, checks: plan.checks.slice(0, 1) }, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    expect(r!.passed).toBe(false);
    expect(r!.failures).toEqual([]);
    expect(r!.error).toMatch(/^could not connect: tcp-refused: /);
  });
});

describe('the seed 002 check and WebSocket checks, when the lab changes behaviour', () => {
  const swap = (from: string, to: string) => {
    const f = labVariableNames(from);
    const t = labVariableNames(to);
    return { ...lab.vars, [f.url]: lab.vars[t.url]!, [f.pin]: lab.vars[t.pin]! };
  };
  const runNamed = async (vars: Record<string, string>, name: string) => {
    const { plan, ca } = await planFor(exampleText, vars);
    const [r] = await runChecks({ ...plan, checks: plan.checks.filter((c) => c.name === name) }, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    return r!;
  };
  const SEED = 'upgrade-426-h2-helper refuses http/1.1 properly';

  test('a 426 with a text/plain body fails the Problem Details expectation', async () => {
    const r = await runNamed(swap('upgrade-426-h2-helper', 'upgrade-426-h2-plain'), SEED);
    const by = Object.fromEntries(r.failures.map((x) => [x.expectation, x.message]));
    expect(Object.keys(by).sort()).toEqual(['http1.problemDetails', 'noFindings']);
    expect(by['http1.problemDetails']).toBe('expected a Problem Details body (application/problem+json with type, title, detail), got Content-Type: text/plain');
    expect(by.noFindings).toBe('unexpected finding: upgrade-problem-details-missing');
  });

  test('a 426 without an Upgrade field fails upgradeIncludes too', async () => {
    const r = await runNamed(swap('upgrade-426-h2-helper', 'upgrade-426-no-upgrade-field'), SEED);
    const by = Object.fromEntries(r.failures.map((x) => [x.expectation, x.message]));
    expect(by['http1.upgradeIncludes']).toBe('expected Upgrade to list HTTP/2.0, got no Upgrade header');
    expect(by['http1.problemDetails']).toMatch(/got Content-Type: text\/html$/);
  });

  test('a WebSocket server that selects no subprotocol fails the subprotocol expectation', async () => {
    const r = await runNamed(swap('websocket-ws', 'websocket-subprotocol-rejected'), 'websocket-ws upgrades with chat.v1');
    expect(r.passed).toBe(false);
    expect(r.failures.find((x) => x.expectation === 'websocket.subprotocol')?.message).toBe('expected WebSocket subprotocol chat.v1, server selected none');
  });
});
