import { describe, expect, it } from 'vitest';
import { headlineOf } from './headline.js';
import { CODES, type Code } from '../model/codes.js';
import type { Finding } from '../model/index.js';
import { renderTerminal } from '../report/terminal.js';
import type { Report } from '../model/index.js';

const f = (code: Code): Finding => ({ code, severity: CODES[code].severity, title: code, explanation: '', clientsSee: [], evidence: [], fixes: [], reproduce: [], addresses: ['192.0.2.1'] });
const target = { host: 'api.example.test', sni: 'api.example.test' };
const h2 = { protocol: 'h2' as const };

describe('headlineOf: the failing layer', () => {
  it('an expired certificate on a server where HTTP/2 works: the certificate layer, not "HTTP/2 works for some clients"', () => {
    expect(headlineOf([f('cert-expired')], h2, target)).toBe('TLS certificate rejected by every verifying client: it expired (HTTP/2 works underneath)');
  });
  it('a TLS handshake failure: the handshake layer', () => {
    expect(headlineOf([f('tls-no-shared-cipher')], { protocol: null }, target)).toBe('TLS handshake fails: no cipher suite in common');
    expect(headlineOf([f('tls-sni-unknown-name')], { protocol: null }, { host: 'x.test', sni: 'other.test' })).toBe('TLS handshake fails: the server has no certificate for other.test');
  });
  it('a 426 to HTTP/1.1 while HTTP/2 works', () => {
    expect(headlineOf([f('h2c-upgrade-unsupported'), f('upgrade-problem-details-missing'), f('upgrade-required-h2')], h2, target)).toBe('HTTP/2 works; HTTP/1.1 clients get 426');
  });
  it('a WebSocket upgrade a hop strips: the error wins over the 426 warning', () => {
    expect(headlineOf([f('upgrade-header-missing'), f('upgrade-header-stripped')], { protocol: 'http/1.1' }, target)).toBe('WebSocket upgrade fails: a hop drops the upgrade request');
  });
  it('DNS, TCP, HTTP/2 negotiation and session layers', () => {
    expect(headlineOf([f('dns-no-address')], { protocol: null }, target)).toBe('DNS: api.example.test does not resolve');
    expect(headlineOf([f('tcp-refused')], { protocol: null }, target)).toMatch(/^TCP connection refused/);
    expect(headlineOf([f('alpn-no-h2')], { protocol: 'http/1.1' }, target)).toMatch(/^HTTP\/2 is off/);
    expect(headlineOf([f('h2-connection-specific-header')], h2, target)).toMatch(/^HTTP\/2 connects, but responses carry a connection-specific field/);
  });
  it('a warning where HTTP/2 does not work does not claim it does', () => {
    expect(headlineOf([f('tls13-not-supported')], h2, target)).toBe('HTTP/2 works; no TLS 1.3');
    expect(headlineOf([f('tls13-not-supported')], { protocol: 'http/1.1' }, target)).toBe('No TLS 1.3');
  });
  it('nothing found', () => {
    expect(headlineOf([], h2, target)).toBe('HTTP/2 works');
  });
  it('is what the terminal shows on its first line, with the counts', () => {
    const r = { schemaVersion: 1, tool: { name: 'h2doctor', version: '0' }, target: { url: 'https://api.example.test/', scheme: 'https', host: 'api.example.test', port: 443, path: '/', tls: true, sni: 'api.example.test' }, startedAt: '', durationMs: 1, verdict: 'fail', headline: headlineOf([f('cert-expired')], h2, target), resolution: { source: 'dns', addresses: ['192.0.2.1'], skipped: [] }, addresses: [], negotiated: h2, findings: [f('cert-expired')], probes: [], connections: 1 } as Report;
    expect(renderTerminal(r, { color: false, verbose: false, width: 200 }).split('\n')[0]).toBe('✗ FAIL  https://api.example.test/  TLS certificate rejected by every verifying client: it expired (HTTP/2 works underneath)  (1 error)');
  });
});
