/**
 * Rules from hand-written evidence alone: no socket. Each case is the smallest evidence that proves a code.
 */
import { describe, expect, test } from 'vitest';
import { diagnoseEvidence, foldConsequences, REPORT_RULES, RULES } from './index.js';
import { addressRule } from './raw.js';
import type { Probe, Target, TlsResult, Http2Result, Http1Result } from '../model/index.js';
import { classify } from '../wire/sniff.js';
import { fromHex } from '../wire/bytes.js';

const https: Target = { url: 'https://example.test/', scheme: 'https', host: 'example.test', port: 443, path: '/', tls: true, sni: 'example.test' };
const http: Target = { ...https, url: 'http://example.test:8080/', scheme: 'http', port: 8080, tls: false };
const A = '192.0.2.1';
const common = (id: string) => ({ id: `${A}/${id}`, address: A, port: 443, startMs: 0, durationMs: 5, bytesSent: 100, bytesReceived: 100, connect: { ok: true as const, ms: 1 } });
const tcp: Probe = { kind: 'tcp', ...common('tcp') };
const hs = (alpn: string | null, extra: Partial<TlsResult> = {}): TlsResult => ({
  offeredAlpn: ['h2', 'http/1.1'],
  sni: 'example.test',
  outcome: 'handshake',
  version: 'TLSv1.3',
  cipher: { name: 'TLS_AES_128_GCM_SHA256', standardName: 'TLS_AES_128_GCM_SHA256', version: 'TLSv1.3' },
  alpn,
  verify: { ok: true },
  ...extra,
});
const h2ok: Http2Result = { via: 'tls', outcome: 'response', status: 200, frames: [] };
const h1ok: Http1Result = { outcome: 'response', version: '1.1', status: 200, reason: 'OK' };
const httpAnswer = classify(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n'), 'eof');

function codes(target: Target, probes: Probe[]) {
  return diagnoseEvidence({ target, resolution: { source: 'literal', addresses: [A] }, evidence: [{ address: A, target, probes }] }).findings.map((f) => f.code);
}

describe('rules from recorded evidence', () => {
  test('healthy h2', () => {
    expect(
      codes(https, [
        tcp,
        { kind: 'tls', name: 'tls-default', ...common('tls-default'), tls: hs('h2') },
        { kind: 'h2', name: 'h2-tls', ...common('h2-tls'), tls: hs('h2'), h2: h2ok },
        { kind: 'h1', name: 'h1-tls', ...common('h1-tls'), tls: hs('http/1.1'), h1: h1ok },
      ]),
    ).toEqual([]);
  });

  test('ALPN picks http/1.1 → alpn-no-h2; the forced preface meets HTTP/1.1 → preface-http1-response', () => {
    expect(
      codes(https, [
        tcp,
        { kind: 'tls', name: 'tls-default', ...common('tls-default'), tls: hs('http/1.1') },
        { kind: 'h2', name: 'h2-tls', ...common('h2-tls'), tls: hs('http/1.1'), h2: { via: 'tls', outcome: 'http1-response', first: httpAnswer, frames: [] } },
        { kind: 'h1', name: 'h1-tls', ...common('h1-tls'), tls: hs('http/1.1'), h1: h1ok },
      ]),
    ).toEqual(['alpn-no-h2', 'preface-http1-response']);
  });

  // Recorded from Apache 2.4.71 `Protocols http/1.1` over TLS (test/real-apache.test.ts): offered [h2]
  // alone it selects http/1.1 anyway, and OpenSSL aborts the handshake; no preface is ever sent.
  test('ALPN picks http/1.1; [h2] alone gets an unoffered protocol → alpn-no-h2 only, the abort in its evidence', () => {
    const bad: TlsResult = { ...hs(null), offeredAlpn: ['h2'], outcome: 'error', error: { code: 'ERR_SSL_BAD_EXTENSION', message: 'SSL routines:tls_parse_stoc_alpn:bad extension' } };
    const out = diagnoseEvidence({
      target: https,
      resolution: { source: 'literal', addresses: [A] },
      evidence: [{ address: A, target: https, probes: [
        tcp,
        { kind: 'tls', name: 'tls-default', ...common('tls-default'), tls: hs('http/1.1') },
        { kind: 'h2', name: 'h2-tls', ...common('h2-tls'), tls: bad, h2: { via: 'tls', outcome: 'closed', frames: [] } },
        { kind: 'h1', name: 'h1-tls', ...common('h1-tls'), tls: hs('http/1.1'), h1: h1ok },
      ] }],
    });
    expect(out.findings.map((f) => f.code)).toEqual(['alpn-no-h2']);
    expect(out.findings[0]!.evidence.map((e) => e.text).join('\n')).toContain('offered ALPN [h2] alone: the server selected a protocol that was not offered');
  });

  // Recorded from nghttpd 1.52 --no-tls (test/real-nghttpd.test.ts): an h2c-only server sends its
  // SETTINGS (MAX_CONCURRENT_STREAMS=100) to whatever connects, our ClientHello included. That is a
  // cleartext HTTP port, not a "malformed TLS answer".
  test('https:// to an h2c-only port: the ClientHello answered with HTTP/2 SETTINGS → scheme-https-on-cleartext-port', () => {
    const settings = classify(fromHex('000006 04 00 00000000 0003 00000064'), 'eof');
    expect(settings.first.kind).toBe('h2-settings');
    const notTls: TlsResult = { offeredAlpn: ['h2', 'http/1.1'], sni: 'example.test', outcome: 'not-tls' };
    expect(
      codes(https, [
        tcp,
        { kind: 'tls', name: 'tls-default', ...common('tls-default'), tls: notTls, first: settings },
        { kind: 'h1', name: 'sniff-http1', ...common('sniff-http1'), h1: { outcome: 'not-http', first: settings } },
      ]),
    ).toEqual(['scheme-https-on-cleartext-port']);
  });

  // Recorded from HAProxy 2.6 `bind … proto h2` (test/real-haproxy.test.ts): it closes on a ClientHello
  // and on HTTP/1.1 without a byte; only the h2c preface sniff is answered (HTTP/2 200).
  test('https:// to a prior-knowledge-only h2c port that closes on a ClientHello → scheme-https-on-cleartext-port, not tcp-reset', () => {
    const eof = classify(new Uint8Array(0), 'eof');
    const closed: TlsResult = { offeredAlpn: ['h2', 'http/1.1'], sni: 'example.test', outcome: 'closed', error: { code: 'ECONNRESET', message: 'Client network socket disconnected before secure TLS connection was established' } };
    const base: Probe[] = [
      tcp,
      { kind: 'tls', name: 'tls-default', ...common('tls-default'), bytesReceived: 0, tls: closed, first: eof },
      { kind: 'h1', name: 'sniff-http1', ...common('sniff-http1'), bytesReceived: 0, h1: { outcome: 'closed', first: eof } },
    ];
    expect(codes(https, base)).toEqual(['tcp-reset']);
    const h2c: Probe = { kind: 'h2', name: 'sniff-h2c', ...common('sniff-h2c'), h2: { via: 'prior-knowledge', outcome: 'response', status: 200, frames: [], serverSettings: [{ id: 3, name: 'MAX_CONCURRENT_STREAMS', value: 100 }] } };
    expect(codes(https, [...base, h2c])).toEqual(['scheme-https-on-cleartext-port']);
  });

  test('no ALPN extension → alpn-ignored', () => {
    expect(codes(https, [tcp, { kind: 'tls', name: 'tls-default', ...common('tls-default'), tls: hs(null) }])).toEqual(['alpn-ignored']);
  });

  // A modern client offered TLS 1.3 and got 1.2: the TLS family also reports tls13-not-supported.
  test('a block-listed TLS 1.2 cipher under h2 → h2-inadequate-security', () => {
    const t = hs('h2', { version: 'TLSv1.2', cipher: { name: 'AES128-SHA', standardName: 'TLS_RSA_WITH_AES_128_CBC_SHA', version: 'TLSv1.2' } });
    expect(codes(https, [tcp, { kind: 'tls', name: 'tls-default', ...common('tls-default'), tls: t }, { kind: 'h2', name: 'h2-tls', ...common('h2-tls'), tls: t, h2: h2ok }]).sort()).toEqual(['h2-inadequate-security', 'tls13-not-supported']);
  });

  test('an ECDHE AEAD TLS 1.2 cipher is fine for HTTP/2', () => {
    const t = hs('h2', { version: 'TLSv1.2', cipher: { name: 'ECDHE-RSA-AES128-GCM-SHA256', standardName: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', version: 'TLSv1.2' } });
    expect(codes(https, [tcp, { kind: 'tls', name: 'tls-default', ...common('tls-default'), tls: t }, { kind: 'h2', name: 'h2-tls', ...common('h2-tls'), tls: t, h2: h2ok }])).toEqual(['tls13-not-supported']);
  });

  test('GOAWAY before any response → goaway-on-connect, with its code in the title', () => {
    const g = { lastStreamId: 0, errorCode: 0xb, errorName: 'ENHANCE_YOUR_CALM', debug: 'slow down' };
    const out = diagnoseEvidence({
      target: https,
      resolution: { source: 'literal', addresses: [A] },
      evidence: [{ address: A, target: https, probes: [tcp, { kind: 'tls', name: 'tls-default', ...common('tls-default'), tls: hs('h2') }, { kind: 'h2', name: 'h2-tls', ...common('h2-tls'), tls: hs('h2'), h2: { via: 'tls', outcome: 'goaway', goaway: g, frames: [] } }] }],
    });
    expect(out.findings.map((f) => f.code)).toEqual(['goaway-on-connect']);
    expect(out.findings[0]!.title).toMatch(/ENHANCE_YOUR_CALM/);
    expect(out.verdict).toBe('fail');
  });

  test('TCP refused stops everything else', () => {
    expect(codes(https, [{ kind: 'tcp', ...common('tcp'), connect: { ok: false, error: 'refused', errno: 'ECONNREFUSED', message: 'connect ECONNREFUSED', ms: 1 } }])).toEqual(['tcp-refused']);
  });

  test('TCP timeout and reset during the TCP handshake', () => {
    const fail = (error: 'timeout' | 'reset'): Probe => ({ kind: 'tcp', ...common('tcp'), connect: { ok: false, error, message: error, ms: 3000 } });
    expect(codes(https, [fail('timeout')])).toEqual(['tcp-timeout']);
    expect(codes(https, [fail('reset')])).toEqual(['tcp-reset']);
  });

  test('cleartext: a TLS alert answering HTTP/1.1 → scheme-http-on-tls-port', () => {
    const alert = classify(fromHex('15 0301 0002 02 28'), 'eof');
    expect(codes(http, [tcp, { kind: 'h1', name: 'h1-cleartext', ...common('h1-cleartext'), h1: { outcome: 'not-http', first: alert } }])).toEqual(['scheme-http-on-tls-port']);
  });

  // Recorded from nginx 1.22.1 (`listen … ssl http2`, test/real-nginx.test.ts): cleartext HTTP to its
  // TLS port gets an HTTP/1.1 400 page, not TLS bytes; only the TLS sniff shows what the port speaks.
  test('cleartext: nginx\'s "plain HTTP request was sent to HTTPS port" 400 + a completing TLS sniff → scheme-http-on-tls-port', () => {
    const raw = 'HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\nContent-Length: 255\r\nConnection: close\r\n\r\n';
    const body = '<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
    const first = classify(new TextEncoder().encode(raw + body), 'eof');
    const h1: Http1Result = { outcome: 'response', first, version: '1.1', status: 400, reason: 'Bad Request', bodyPreview: body };
    const cleartext: Probe[] = [
      tcp,
      { kind: 'h2', name: 'h2c-prior-knowledge', ...common('h2c-prior-knowledge'), h2: { via: 'prior-knowledge', outcome: 'http1-response', first, frames: [] } },
      { kind: 'h2c-upgrade', ...common('h2c-upgrade'), upgrade: h1 },
      { kind: 'h1', name: 'h1-cleartext', ...common('h1-cleartext'), h1 },
    ];
    const sniff: Probe = { kind: 'tls', name: 'sniff-tls', ...common('sniff-tls'), tls: { ...hs('h2'), version: 'TLSv1.2' } };
    const out = diagnoseEvidence({ target: http, resolution: { source: 'literal', addresses: [A] }, evidence: [{ address: A, target: http, probes: [...cleartext, sniff] }] });
    expect(out.findings.map((f) => f.code)).toEqual(['scheme-http-on-tls-port']);
    expect(out.findings[0]!.evidence.map((e) => e.text).join('\n')).toContain('"400 The plain HTTP request was sent to HTTPS port"');
    // Without a completing handshake a 400 is just an HTTP/1.1 server's answer.
    expect(codes(http, cleartext)).toEqual(['h2c-not-supported', 'preface-http1-response']);
    const alert: Probe = { kind: 'tls', name: 'sniff-tls', ...common('sniff-tls'), tls: { ...hs(null), outcome: 'alert', alert: { level: 'fatal', name: 'handshake_failure', code: 40 } } };
    expect(codes(http, [...cleartext, alert])).toEqual(['h2c-not-supported', 'preface-http1-response']);
  });

  test('cleartext: prior knowledge works, Upgrade ignored → h2c-upgrade-unsupported (warning, verdict warn)', () => {
    const out = diagnoseEvidence({
      target: http,
      resolution: { source: 'literal', addresses: [A] },
      evidence: [
        {
          address: A,
          target: http,
          probes: [
            tcp,
            { kind: 'h1', name: 'h1-cleartext', ...common('h1-cleartext'), h1: h1ok },
            { kind: 'h2', name: 'h2c-prior-knowledge', ...common('h2c'), h2: { ...h2ok, via: 'prior-knowledge' } },
            { kind: 'h2c-upgrade', ...common('h2c-upgrade'), upgrade: h1ok },
          ],
        },
      ],
    });
    expect(out.findings.map((f) => f.code)).toEqual(['h2c-upgrade-unsupported']);
    expect(out.verdict).toBe('warn');
    expect(out.negotiated.protocol).toBe('h2c');
  });

  // tls.ts can raise tls-handshake-alert twice (narrow-sigalg and narrow-alpn both refused).
  test('a code raised twice on one address: one finding, the address once, both evidence lines', () => {
    const twice = addressRule('twice', ['tls-handshake-alert'], () => [
      { code: 'tls-handshake-alert', evidence: [{ probe: 'one', text: 'one' }] },
      { code: 'tls-handshake-alert', evidence: [{ probe: 'two', text: 'two' }] },
    ]);
    const input = { target: https, resolution: { source: 'dns' as const, addresses: [A] }, evidence: [{ address: A, target: https, probes: [] }] };
    const out = diagnoseEvidence(input, { address: [...RULES, twice], report: REPORT_RULES });
    expect(out.findings.map((f) => [f.code, f.addresses, f.evidence.map((e) => e.text)])).toEqual([['tls-handshake-alert', [A], ['one', 'two']]]);
    // The rule lists are frozen: nobody changes the diagnosis of others by pushing into them.
    expect(Object.isFrozen(RULES)).toBe(true);
    expect(Object.isFrozen(REPORT_RULES)).toBe(true);
  });

  test('a rule that emits a code it does not declare is a bug, not a finding', () => {
    const liar = addressRule('liar', ['tcp-refused'], () => [{ code: 'tcp-timeout', evidence: [] }]);
    expect(() => liar({ address: A, target: https, probes: [] })).toThrow(/liar emitted tcp-timeout/);
  });

  test('foldConsequences leaves its input as it was', () => {
    const closed = { code: 'preface-closed' as const, evidence: [{ probe: 'h2', text: 'closed' }] };
    const cause = { code: 'tls-client-cert-required' as const, evidence: [{ probe: 'tls', text: 'cert' }] };
    const out = foldConsequences([closed, cause]);
    expect(out.map((f) => f.code)).toEqual(['tls-client-cert-required']);
    expect(out[0]!.evidence.map((e) => e.text)).toEqual(['cert', 'consequence (preface-closed): closed']);
    expect(cause.evidence).toEqual([{ probe: 'tls', text: 'cert' }]);
  });

  test('a GOAWAY right after the preface over a block-listed suite is that suite\'s doing (Apache mod_http2)', () => {
    const goaway = { code: 'goaway-on-connect' as const, evidence: [{ probe: 'h2-tls', text: 'GOAWAY error=UNKNOWN(0x16)' }] };
    const suite = { code: 'h2-inadequate-security' as const, evidence: [{ probe: 'tls-default', text: 'block-listed' }] };
    expect(foldConsequences([goaway, suite]).map((f) => f.code)).toEqual(['h2-inadequate-security']);
    // Without the block-listed suite the GOAWAY stands on its own.
    expect(foldConsequences([goaway]).map((f) => f.code)).toEqual(['goaway-on-connect']);
  });

  test('no address → dns-no-address', () => {
    const out = diagnoseEvidence({ target: https, resolution: { source: 'dns', addresses: [], error: 'ENOTFOUND' }, evidence: [] });
    expect(out.findings.map((f) => f.code)).toEqual(['dns-no-address']);
  });

  test('reproduce commands pin the address with --resolve when there are several', () => {
    const B = '192.0.2.2';
    const ok = (addr: string, alpn: string): Probe[] => [
      { kind: 'tcp', ...common('tcp'), id: `${addr}/tcp`, address: addr },
      { kind: 'tls', name: 'tls-default', ...common('tls-default'), id: `${addr}/tls-default`, address: addr, tls: hs(alpn) },
    ];
    const out = diagnoseEvidence({
      target: https,
      resolution: { source: 'dns', addresses: [A, B] },
      evidence: [
        { address: A, target: https, probes: ok(A, 'h2') },
        { address: B, target: https, probes: ok(B, 'http/1.1') },
      ],
    });
    expect(out.findings.map((f) => f.code).sort()).toEqual(['alpn-no-h2', 'dns-addresses-disagree']);
    const f = out.findings.find((x) => x.code === 'alpn-no-h2')!;
    expect(f.addresses).toEqual([B]);
    expect(f.reproduce.join('\n')).toContain(`--resolve example.test:443:${B}`);
  });
});
