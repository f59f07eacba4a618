import { describe, expect, it } from 'vitest';
import type { Probe, Report } from './index.js';
import { reportFacts } from './report-facts.js';

const common = { address: '127.0.0.1', port: 443, startMs: 0, durationMs: 1, bytesSent: 0, bytesReceived: 0, connect: { ok: true as const, ms: 1 } };

function report(probes: Probe[], over: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'h2doctor', version: '0.0.0' },
    target: { url: 'https://a.test/', scheme: 'https', host: 'a.test', port: 443, path: '/', tls: true, sni: 'a.test' },
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 5,
    verdict: 'ok',
    resolution: { source: 'resolve-pin', addresses: ['127.0.0.1'], skipped: [] },
    addresses: [],
    negotiated: { protocol: 'h2', tlsVersion: 'TLSv1.2' },
    findings: [],
    probes,
    connections: probes.length,
    ...over,
  };
}

describe('reportFacts', () => {
  const wsH2 = (status?: number): Probe =>
    ({ kind: 'ws-h2', name: 'ws-extended-connect', id: 'x/ws-h2', ...common, path: '/chat', enableConnectProtocol: 1, h2: { via: 'tls', outcome: status ? 'response' : 'timeout', frames: [], ...(status ? { status, headers: [[':status', String(status)], ['sec-websocket-protocol', 'chat']] } : {}) } }) as Probe;
  const ws = (status?: number): Probe =>
    ({ kind: 'websocket', name: 'ws-upgrade', id: 'x/ws', ...common, trigger: 'option', request: { method: 'GET', path: '/chat', version: '1.1', headers: [] }, h1: status ? { outcome: 'response', status, headers: [] } : { outcome: 'closed' } }) as Probe;

  it('the WebSocket answer: RFC 6455 first, then RFC 8441 extended CONNECT when the upgrade got no response', () => {
    expect(reportFacts(report([ws(101), wsH2(200)])).websocket).toEqual({ status: 101, subprotocol: null });
    expect(reportFacts(report([ws(), wsH2(200)])).websocket).toEqual({ status: 200, subprotocol: 'chat' });
    expect(reportFacts(report([ws(), wsH2()])).websocket).toEqual({ noAnswer: 'the WebSocket upgrade got no HTTP response (closed)' });
    expect(reportFacts(report([wsH2()])).websocket).toEqual({ noAnswer: 'the WebSocket upgrade got no HTTP response (no response)' });
    expect(reportFacts(report([])).websocket).toEqual({ notRun: true });
  });

  it('the TLS version is the negotiated one; the certificate section goes before the handshakes\' certificate', () => {
    const tls: Probe = { kind: 'tls', name: 'tls-default', id: 'x/t', ...common, tls: { offeredAlpn: ['h2'], sni: 'a.test', outcome: 'handshake', version: 'TLSv1.3', alpn: 'h2', cert: { validTo: 'Jan  1 00:00:00 2030 GMT' } as never } };
    const section = { address: '127.0.0.1', probe: 'x/t', chain: [{ notAfter: '2031-01-01T00:00:00.000Z' } as never], order: { inOrder: true, problems: [] }, rootSent: false, ocspStapling: { requested: true, stapled: false } };
    expect(reportFacts(report([tls]))).toMatchObject({ tlsVersion: 'TLSv1.2', certNotAfter: 'Jan  1 00:00:00 2030 GMT', alpn: ['h2'] });
    expect(reportFacts(report([tls], { certificates: [section] })).certNotAfter).toBe('2031-01-01T00:00:00.000Z');
  });
});
