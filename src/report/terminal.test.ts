import { describe, expect, test } from 'vitest';
import type { Finding, Report } from '../model/index.js';
import { SEVERITIES } from '../model/codes.js';
import { renderTerminal } from './terminal.js';

const finding = (severity: Finding['severity']): Finding => ({
  code: severity === 'error' ? 'alpn-no-h2' : severity === 'warning' ? 'tls13-not-supported' : 'deprecation-announced',
  severity,
  title: 't',
  explanation: 'e',
  clientsSee: [],
  evidence: [],
  fixes: [],
  reproduce: [],
  addresses: [],
});

const report = (findings: Finding[]): Report =>
  ({
    schemaVersion: 1,
    tool: { name: 'h2doctor', version: '0' },
    target: { url: 'https://a.test/' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    verdict: 'fail',
    resolution: { source: 'literal', addresses: ['127.0.0.1'], skipped: [] },
    addresses: [],
    negotiated: { protocol: null },
    findings,
    probes: [],
    connections: 0,
  }) as unknown as Report;

describe('the severity word', () => {
  test('each finding is labelled with its JSON severity, upper case (ERROR, WARNING, INFO), never the verdict word', () => {
    const text = renderTerminal(report(SEVERITIES.map(finding)), { color: false, verbose: false, width: 100 });
    for (const s of SEVERITIES) expect(text).toMatch(new RegExp(`^${s.toUpperCase()} ${finding(s).code} `, 'm'));
    expect(text).not.toMatch(/^WARN /m);
  });
});
