import { describe, expect, test } from 'vitest';
import type { CheckResult } from '../model/index.js';
import { validSarif } from '../../test/sarif-helpers.js';
import { SARIF_RULES, toSarif } from './sarif.js';

const results: CheckResult[] = [
  { name: 'ok', env: 'prod', url: 'https://a.test/', passed: true, failures: [], durationMs: 5, line: 3 },
  {
    name: 'api | v2',
    env: 'prod',
    url: 'https://b.test/',
    passed: false,
    durationMs: 9,
    line: 12,
    failures: [
      { expectation: 'status.h2', expected: '200', actual: '503', message: 'expected 200 over h2, got 503' },
      { expectation: 'http1.upgradeIncludes', expected: 'h2c', actual: 'no Upgrade header', message: 'expected Upgrade to list h2c, got no Upgrade header' },
    ],
  },
  { name: 'gone', env: 'prod', url: 'https://c.test/', passed: false, failures: [], durationMs: 1, error: 'could not connect: tcp-refused: Connection refused' },
];

describe('toSarif', () => {
  test('valid against the OASIS SARIF 2.1.0 schema, with and without results', () => {
    expect(validSarif(toSarif(results, { file: 'ci/checks.yaml', env: 'prod' }))).toEqual([]);
    expect(validSarif(toSarif([results[0]!], { file: 'checks.yaml', env: 'prod' }))).toEqual([]);
    expect(toSarif([results[0]!], { file: 'checks.yaml', env: 'prod' }).runs[0]!.results).toEqual([]);
  });

  test('a result per failed expectation under its rule, and one for a check that could not run; each at the check\'s line', () => {
    const run = toSarif(results, { file: 'ci\\checks.yaml', env: 'prod' }).runs[0]!;
    expect(run.results.map((r) => [r.ruleId, run.tool.driver.rules[r.ruleIndex]!.id, r.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['status', 'status', 12],
      ['http1', 'http1', 12],
      ['could-not-run', 'could-not-run', 1],
    ]);
    expect(run.results[0]!.properties).toEqual({ check: 'api | v2', env: 'prod', url: 'https://b.test/', expectation: 'status.h2', expected: '200', actual: '503' });
    expect(run.results[2]!.message.text).toBe('gone (https://c.test/): could not run: could not connect: tcp-refused: Connection refused');
    expect(run.artifacts[0]!.location.uri).toBe('ci/checks.yaml');
    expect(run.automationDetails.id).toBe('h2doctor-check/prod/');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(Object.keys(SARIF_RULES));
  });

  test('the validator is not a rubber stamp: a wrong level is refused', () => {
    const log = toSarif(results, { file: 'checks.yaml', env: 'prod' }) as unknown as { runs: Array<{ results: Array<{ level: string }> }> };
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(validSarif(log)).not.toEqual([]);
  });
});
