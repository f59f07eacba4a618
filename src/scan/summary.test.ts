import { describe, expect, test } from 'vitest';
import { summarize } from './summary.js';
import { vantageFinding } from '../diagnosis/rules/vantage.js';
import type { ScanResult } from './run.js';
import type { Report } from '../model/index.js';
import type { Code } from '../model/codes.js';
import { CODES } from '../model/codes.js';

function result(key: string, verdict: Report['verdict'], protocol: Report['negotiated']['protocol'], codes: Code[], vantage?: string): ScanResult {
  const report = { verdict, negotiated: { protocol }, findings: codes.map((code) => ({ code, severity: CODES[code].severity })) } as unknown as Report;
  return { schemaVersion: 1, type: 'result', key, url: `https://${key}/`, finishedAt: '2026-12-03T00:00:00Z', report, ...(vantage ? { vantage } : {}) };
}

describe('scan summary', () => {
  test('verdicts, codes by count, worst targets first; a retried target counts once', () => {
    const s = summarize([
      result('a.example', 'ok', 'h2', []),
      result('b.example', 'fail', 'http/1.1', ['alpn-no-h2']),
      result('c.example', 'fail', null, ['tcp-refused']),
      result('c.example', 'fail', 'http/1.1', ['alpn-no-h2', 'cert-expired']),
      result('d.example', 'warn', 'h2', ['tls13-not-supported']),
      { schemaVersion: 1, type: 'result', key: 'e.example', url: 'https://e.example/', finishedAt: 'x', error: 'boom' },
    ]);
    expect(s.targets).toBe(5);
    expect(s.verdicts).toEqual({ ok: 1, warn: 1, fail: 2, error: 1 });
    expect(s.codes).toEqual([
      { code: 'alpn-no-h2', severity: 'error', count: 2 },
      { code: 'cert-expired', severity: 'error', count: 1 },
      { code: 'tls13-not-supported', severity: 'warning', count: 1 },
    ]);
    expect(s.worst.map((w) => w.key)).toEqual(['e.example', 'c.example', 'b.example', 'd.example']);
    expect(s.verdict).toBe('fail');
    expect(s.comparisons).toEqual([]);
  });
  test('vantage points that see different behaviour give vantage-points-disagree, naming both', () => {
    const s = summarize([result('a.example', 'ok', 'h2', [], 'eu'), result('a.example', 'fail', 'http/1.1', ['alpn-no-h2'], 'us'), result('b.example', 'ok', 'h2', [], 'eu'), result('b.example', 'ok', 'h2', [], 'us')]);
    expect(s.comparisons).toHaveLength(1);
    const f = s.comparisons[0]!.findings[0]!;
    expect(f.code).toBe('vantage-points-disagree');
    expect(f.severity).toBe('warning');
    expect(f.evidence[0]!.text).toBe('HTTP/2 works from eu but not from us');
    expect(f.evidence.map((e) => e.text)).toContain('us → http/1.1 (alpn-no-h2)');
    expect(s.verdicts.fail).toBe(1);
  });
  test('the same behaviour everywhere, or one vantage only, is no disagreement; clock-skew alone is not compared', () => {
    expect(vantageFinding([{ vantage: 'a', verdict: 'ok', protocol: 'h2', codes: [] }])).toBeUndefined();
    expect(
      vantageFinding([
        { vantage: 'a', verdict: 'ok', protocol: 'h2', codes: [] },
        { vantage: 'b', verdict: 'warn', protocol: 'h2', codes: ['clock-skew'] },
      ]),
    ).toBeUndefined();
    expect(
      vantageFinding([
        { vantage: 'a', verdict: 'warn', protocol: 'h2', codes: ['tls13-not-supported'] },
        { vantage: 'b', verdict: 'ok', protocol: 'h2', codes: [] },
      ])?.code,
    ).toBe('vantage-points-disagree');
  });
});
