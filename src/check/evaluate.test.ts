import { describe, expect, it, test } from 'vitest';
import { evaluateCheck, type EvaluableCheck } from './evaluate.js';
import { upgradeLists } from './evaluate.js';
import type { CheckEvidence, Expectations } from './types.js';

const NOW = new Date('2026-01-01T00:00:00Z');

function evidence(patch: Partial<CheckEvidence> = {}): CheckEvidence {
  return {
    negotiatedProtocol: 'h2',
    tlsVersion: 'TLSv1.3',
    alpn: ['h2', 'http/1.1'],
    findings: [],
    statusByProtocol: {
      h2: { status: 200, headers: [] },
      'http/1.1': {
        status: 426,
        headers: [
          ['Upgrade', 'h2c, HTTP/2.0'],
          ['Content-Type', 'application/problem+json; charset=utf-8'],
        ],
        body: '{"type":"about:blank","title":"Upgrade Required","status":426,"detail":"Use HTTP/2"}',
      },
    },
    websocket: { status: 101, subprotocol: 'chat' },
    certValidTo: 'Mar  1 00:00:00 2026 GMT',
    now: NOW,
    durationMs: 42,
    ...patch,
  };
}

function check(expect: Expectations): EvaluableCheck {
  return { name: 'c', env: 'prod', url: 'https://a.test/', expect, line: 7 };
}

/** The failed expectations' names. */
function failed(x: Expectations, ev: CheckEvidence = evidence()): string[] {
  return evaluateCheck(check(x), ev).failures.map((f) => f.expectation);
}

describe('evaluateCheck', () => {
  it('passes when every expectation holds, and carries name, env, url, line and duration', () => {
    const all: Expectations = {
      protocol: 'h2',
      minTls: '1.2',
      alpnIncludes: ['h2'],
      noFindings: ['cert-expired'],
      maxSeverity: 'ok',
      status: { h2: 200, 'http/1.1': 426 },
      http1: { status: 426, upgradeIncludes: 'H2C', problemDetails: { detail: true, title: true, status: true, type: true } },
      websocket: { subprotocol: 'chat' },
      certValidDays: 30,
    };
    expect(evaluateCheck(check(all), evidence())).toEqual({
      name: 'c',
      env: 'prod',
      url: 'https://a.test/',
      line: 7,
      passed: true,
      failures: [],
      durationMs: 42,
    });
  });

  it('lists every failure, not just the first', () => {
    const r = evaluateCheck(check({ protocol: 'h2c', minTls: '1.3', certValidDays: 90 }), evidence({ tlsVersion: 'TLSv1.2' }));
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([
      { expectation: 'protocol', expected: 'h2c', actual: 'h2', message: 'expected protocol h2c, negotiated h2' },
      { expectation: 'minTls', expected: '>= TLS 1.3', actual: 'TLS 1.2', message: 'expected TLS 1.3 or newer, negotiated TLS 1.2' },
      {
        expectation: 'certValidDays',
        expected: '>= 90 days',
        actual: '59 days left',
        message: 'expected the certificate valid 90 more days, it expires 2026-03-01T00:00:00.000Z (59 days left)',
      },
    ]);
  });

  it('protocol: none negotiated', () => {
    const r = evaluateCheck(check({ protocol: 'h2' }), evidence({ negotiatedProtocol: null }));
    expect(r.failures[0]).toMatchObject({ actual: 'none' });
  });

  it.each([
    ['TLSv1.2', '1.2', true],
    ['1.3', '1.2', true],
    ['TLSv1.1', '1.2', false],
    [undefined, '1.0', false],
  ] as const)('minTls: negotiated %s, wanted %s → pass %s', (tlsVersion, minTls, pass) => {
    expect(failed({ minTls }, evidence(tlsVersion === undefined ? { tlsVersion: undefined } : { tlsVersion }))).toEqual(pass ? [] : ['minTls']);
  });

  it('alpnIncludes: every value must have been selected', () => {
    expect(failed({ alpnIncludes: ['h2', 'http/1.1'] })).toEqual([]);
    expect(failed({ alpnIncludes: ['h2'] }, evidence({ alpn: ['http/1.1'] }))).toEqual(['alpnIncludes']);
    const r = evaluateCheck(check({ alpnIncludes: ['h2'] }), evidence({ alpn: null }));
    expect(r.failures[0]).toMatchObject({ actual: 'no ALPN' });
  });

  it('noFindings: names the codes raised', () => {
    const ev = evidence({ findings: [{ code: 'alpn-no-h2', severity: 'error' }, { code: 'clock-skew', severity: 'warning' }] });
    expect(evaluateCheck(check({ noFindings: ['alpn-no-h2', 'cert-expired'] }), ev).failures).toEqual([
      { expectation: 'noFindings', expected: 'none of alpn-no-h2, cert-expired', actual: 'alpn-no-h2', message: 'unexpected finding: alpn-no-h2' },
    ]);
  });

  describe('maxSeverity: no finding at or above the next level', () => {
    const info = { code: 'deprecation-announced', severity: 'info' } as const;
    const warning = { code: 'clock-skew', severity: 'warning' } as const;
    const error = { code: 'cert-expired', severity: 'error' } as const;
    it.each([
      ['ok', [], true],
      ['ok', [info], false],
      ['info', [info], true],
      ['info', [info, warning], false],
      ['warning', [info, warning], true],
      ['warning', [error], false],
    ] as const)('%s with %j → pass %s', (maxSeverity, findings, pass) => {
      expect(failed({ maxSeverity }, evidence({ findings: [...findings] }))).toEqual(pass ? [] : ['maxSeverity']);
    });

    it('reports the worst finding', () => {
      const r = evaluateCheck(check({ maxSeverity: 'info' }), evidence({ findings: [warning, error] }));
      expect(r.failures[0]).toMatchObject({ expected: 'nothing at warning or above', actual: 'error: clock-skew, cert-expired' });
    });
  });

  it('status per protocol: mismatch and missing response', () => {
    const r = evaluateCheck(check({ status: { h2: 204, 'http/1.1': 426, h2c: 200 } }), evidence());
    expect(r.failures).toEqual([
      { expectation: 'status.h2', expected: '204', actual: '200', message: 'expected 204 over h2, got 200' },
      { expectation: 'status.h2c', expected: '200', actual: 'no response', message: 'expected 200 over h2c, got no h2c response' },
    ]);
  });

  describe('http1', () => {
    const h1 = (patch: Partial<{ status: number; headers: Array<[string, string]>; body: string }>): CheckEvidence => {
      const base = evidence().statusByProtocol['http/1.1']!;
      return evidence({ statusByProtocol: { 'http/1.1': { ...base, ...patch } } });
    };

    it('status and Upgrade token (whole tokens, case-insensitive; "h2" means any spelling of HTTP/2)', () => {
      expect(failed({ http1: { status: 200 } })).toEqual(['http1.status']);
      expect(failed({ http1: { upgradeIncludes: 'http/2.0' } })).toEqual([]);
      // The "Upgrade containing h2" is met by the registered token HTTP/2.0 (see upgradeLists).
      expect(failed({ http1: { upgradeIncludes: 'h2' } })).toEqual([]);
      expect(failed({ http1: { upgradeIncludes: 'websocket' } })).toEqual(['http1.upgradeIncludes']);
      const r = evaluateCheck(check({ http1: { upgradeIncludes: 'h2c' } }), h1({ headers: [] }));
      expect(r.failures[0]).toMatchObject({ actual: 'no Upgrade header' });
    });

    it('Problem Details: media type, JSON object, required members', () => {
      const pd = { http1: { problemDetails: { detail: true } } };
      expect(failed(pd)).toEqual([]);
      const noType = evaluateCheck(check(pd), h1({ headers: [['content-type', 'application/json']] }));
      expect(noType.failures[0]).toMatchObject({ expectation: 'http1.problemDetails', actual: 'Content-Type: application/json' });
      const ct: Array<[string, string]> = [['content-type', 'application/problem+json']];
      expect(evaluateCheck(check(pd), h1({ headers: ct, body: '{' })).failures[0]).toMatchObject({ actual: 'invalid JSON' });
      expect(evaluateCheck(check(pd), h1({ headers: ct, body: '[]' })).failures[0]).toMatchObject({ actual: 'not a JSON object' });
      expect(evaluateCheck(check(pd), h1({ headers: ct, body: '{"title":"x"}' })).failures[0]).toMatchObject({ actual: 'missing detail' });
      expect(evaluateCheck(check(pd), h1({ headers: ct, body: '{"detail":""}' })).failures[0]).toMatchObject({ actual: 'missing detail' });
      const noBody = evidence({ statusByProtocol: { 'http/1.1': { status: 426, headers: ct } } });
      expect(evaluateCheck(check(pd), noBody).failures[0]).toMatchObject({ actual: 'body not captured' });
    });

    it('no HTTP/1.1 response at all', () => {
      const r = evaluateCheck(check({ http1: { status: 426 } }), evidence({ statusByProtocol: {} }));
      expect(r.failures).toEqual([{ expectation: 'http1', expected: 'status 426', actual: 'no response', message: 'expected an HTTP/1.1 response, got none' }]);
    });
  });

  it('websocket: status (default 101) and subprotocol', () => {
    expect(failed({ websocket: {} })).toEqual([]);
    expect(failed({ websocket: { subprotocol: 'chat.v2' } })).toEqual(['websocket.subprotocol']);
    expect(failed({ websocket: {} }, evidence({ websocket: { status: 400 } }))).toEqual(['websocket.status']);
    expect(failed({ websocket: { subprotocol: 'chat' } }, evidence({ websocket: { status: 101, subprotocol: null } }))).toEqual(['websocket.subprotocol']);
    const { websocket: _drop, ...rest } = evidence();
    expect(failed({ websocket: {} }, rest)).toEqual(['websocket']);
  });

  it('certValidDays: expired, missing certificate', () => {
    const expired = evaluateCheck(check({ certValidDays: 0 }), evidence({ certValidTo: '2025-12-30T00:00:00Z' }));
    expect(expired.failures[0]).toMatchObject({ actual: 'expired 2.0 days ago' });
    const none = evaluateCheck(check({ certValidDays: 1 }), evidence({ certValidTo: undefined }));
    expect(none.failures[0]).toMatchObject({ actual: 'no certificate' });
  });

  it('a runner error makes the check an error, not a pass', () => {
    const r = evaluateCheck(check({ protocol: 'h2' }), evidence({ error: 'could not resolve a.test' }));
    expect(r).toMatchObject({ passed: false, failures: [], error: 'could not resolve a.test' });
  });
});

describe('upgradeLists: "Upgrade contains h2"', () => {
  test.each([
    ['HTTP/2.0', 'h2', true],
    ['HTTP/2', 'h2', true],
    ['h2c', 'h2', true],
    ['h2, h2c', 'HTTP/2.0', true],
    ['TLS/1.2, HTTP/1.1', 'h2', false],
    ['websocket', 'h2', false],
    ['HTTP/2.0', 'h2c', false],
    ['h2c', 'h2c', true],
    ['WebSocket', 'websocket', true],
    ['TLS/1.2, HTTP/1.1', 'TLS/1.2', true],
  ])('Upgrade: %s lists %s → %s', (field, wanted, want) => {
    expect(upgradeLists(field, wanted)).toBe(want);
  });
  test('no field lists nothing', () => expect(upgradeLists(undefined, 'h2')).toBe(false));
});
