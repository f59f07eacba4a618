/**
 * Every lab scenario diagnosed end to end over loopback: exactly its expected codes, no error on
 * healthy ones, and every report valid against docs/report.schema.json.
 */
import { describe, expect, test, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';
import { ALL_SCENARIOS as SCENARIOS } from '../src/lab/scenarios.js';
import { runScenario } from '../src/lab/run.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { CODES } from '../src/model/codes.js';
import { diagnoseEvidence } from '../src/diagnosis/index.js';

const schema = JSON.parse(readFileSync(new URL('../docs/report.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const validate = ajv.compile(schema);
let pki: LabPki;
beforeAll(async () => {
  pki = await createLabPki();
});

describe('lab scenarios', () => {
  test.each(SCENARIOS.map((s) => [s.id, s] as const))('%s', async (_id, s) => {
    const r = await runScenario(s, pki);
    expect(r.problems).toEqual([]);
    expect(new Set(r.found)).toEqual(new Set(s.expect));
    const report = r.report!;
    const ok = validate(JSON.parse(JSON.stringify(report)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    if (s.family === 'healthy') {
      expect(report.verdict).toBe('ok');
      expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    }
    for (const f of report.findings) {
      // Severity is the contract's unless a rule says why it raised it.
      if (!f.severityRaised) expect(f.severity).toBe(CODES[f.code].severity);
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.fixes.length).toBeGreaterThan(0);
      expect(f.reproduce.length).toBeGreaterThan(0);
    }
    // Rules are pure: the recorded evidence, round-tripped through JSON, gives the same findings.
    const recorded = JSON.parse(JSON.stringify(report));
    const replay = diagnoseEvidence({
      target: recorded.target,
      resolution: recorded.resolution,
      evidence: recorded.resolution.addresses.map((address: string) => ({ address, target: recorded.target, probes: recorded.probes.filter((p: { address: string }) => p.address === address) })),
      // Reproduce commands carry the proxy the run went through (the report keeps its URL).
      ...(recorded.proxy ? { context: { proxy: recorded.proxy.url } } : {}),
    });
    expect(replay.findings).toEqual(recorded.findings);
    const worst = report.findings.some((f) => f.severity === 'error') ? 'fail' : report.findings.some((f) => f.severity === 'warning') ? 'warn' : 'ok';
    expect(report.verdict).toBe(worst);
  });
});
