/**
 * The upgrade family's rules from hand-written evidence (no socket), the body reader's de-chunking,
 * and -X / -H reaching every request of the matrix over loopback.
 */
import { describe, expect, test } from 'vitest';
import http2 from 'node:http2';
import fc from 'fast-check';
import type { Probe, ProbeCommon, Target } from '../src/model/index.js';
import { upgradeRule, protocolMatrix } from '../src/diagnosis/rules/upgrade.js';
import { dechunk } from '../src/probes/upgrade/body.js';
import { diagnose } from '../src/diagnose.js';
import { createLabPki } from '../src/lab/pki.js';
import { listen } from '../src/lab/servers.js';

const target: Target = { url: 'https://api.example/', scheme: 'https', host: 'api.example', port: 443, path: '/', tls: true, sni: 'api.example' };
const common = (name: string): ProbeCommon => ({ id: `192.0.2.1/${name}`, address: '192.0.2.1', port: 443, startMs: 0, durationMs: 1, bytesSent: 1, bytesReceived: 1, connect: { ok: true, ms: 1 } });
const h1 = (status: number, headers: Array<[string, string]>, body = ''): Probe => ({ kind: 'h1', name: 'h1-tls', ...common('tls-alpn-http1'), h1: { outcome: 'response', version: '1.1', status, reason: 'x', headers, bodyPreview: body } });
const h2 = (status: number, headers: Array<[string, string]> = []): Probe => ({ kind: 'h2', name: 'h2-tls', ...common('tls-alpn-h2'), h2: { via: 'tls', outcome: 'response', status, headers: [[':status', String(status)], ...headers], frames: [] } });
const codes = (probes: Probe[], t: Target = target) => upgradeRule({ address: '192.0.2.1', target: t, probes }).map((f) => f.code);

describe('426 analysis', () => {
  test.each([
    ['HTTP/2.0', ['upgrade-required-h2']],
    ['HTTP/2', ['upgrade-required-h2']],
    ['h2c', ['upgrade-required-h2']],
    ['h2, HTTP/2.0', ['upgrade-required-h2']],
    ['TLS/1.2, HTTP/1.1', ['upgrade-required-tls']],
    ['websocket', ['upgrade-required-websocket']],
    ['HTTP/2.0, TLS/1.3', ['upgrade-required-h2', 'upgrade-required-tls']],
  ] as const)('Upgrade: %s → %o (with Problem Details)', (upgrade, want) => {
    const body = JSON.stringify({ title: 'Upgrade Required', status: 426, migration_guide: 'https://docs.example/m' });
    expect(codes([h1(426, [['Upgrade', upgrade], ['Content-Type', 'application/problem+json']], body), h2(200)])).toEqual(want);
  });

  test('no Upgrade field, no Problem Details', () => {
    expect(codes([h1(426, [['Content-Type', 'text/html']], '<html>'), h2(200)])).toEqual(['upgrade-header-missing', 'upgrade-problem-details-missing']);
  });

  test('malformed Problem Details count as missing', () => {
    expect(codes([h1(426, [['Upgrade', 'HTTP/2.0'], ['Content-Type', 'application/problem+json']], '{"title":'), h2(200)])).toEqual(['upgrade-required-h2', 'upgrade-problem-details-missing']);
  });

  test('an HTTP/2 426 carries no Upgrade (RFC 9113 §8.2.2): not upgrade-header-missing', () => {
    expect(codes([h1(200, [['Content-Type', 'text/plain']]), h2(426, [['content-type', 'application/problem+json']])])).toEqual(['h1-h2-behaviour-differs']);
  });

  test('a 426 naming websocket on a ws/wss target is what RFC 6455 servers do: no finding', () => {
    const ws: Target = { ...target, url: 'wss://api.example/', scheme: 'wss' };
    expect(codes([h1(426, [['Upgrade', 'websocket'], ['Content-Type', 'text/plain']], 'use ws')], ws)).toEqual([]);
  });

  test('Deprecation, Sunset and Link rel=deprecation give deprecation-announced with the dates', () => {
    const f = upgradeRule({ address: '192.0.2.1', target, probes: [h1(200, [['Deprecation', '@1767225600'], ['Sunset', 'Wed, 30 Jun 2027 23:59:59 GMT'], ['Link', '<https://docs.example/dep>; rel="deprecation"']]), h2(200)] });
    expect(f.map((x) => x.code)).toEqual(['deprecation-announced']);
    expect(f[0]!.detail).toBe('deprecated since 2026-01-01, ends 2027-06-30, see https://docs.example/dep');
  });

  test('the matrix rows: HTTP/1.1 and HTTP/2 from the core probes', () => {
    const rows = protocolMatrix({ address: '192.0.2.1', target, probes: [h1(426, [['Upgrade', 'HTTP/2.0']]), h2(200)] });
    expect(rows.map((r) => [r.protocol, r.status, r.headers['upgrade']])).toEqual([
      ['HTTP/1.1', 426, 'HTTP/2.0'],
      ['HTTP/2', 200, undefined],
    ]);
  });
});

describe('dechunk', () => {
  const enc = (parts: string[]) => parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('') + '0\r\n\r\n';
  test('whole, and cut anywhere: never more than what arrived, done only at the last chunk', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 6 }), fc.nat(), (parts, cut) => {
        const wire = new TextEncoder().encode(enc(parts));
        const whole = dechunk(wire, 1 << 16);
        expect(whole.done).toBe(true);
        expect(new TextDecoder().decode(whole.body)).toBe(parts.join(''));
        const at = cut % (wire.length + 1);
        const part = dechunk(wire.subarray(0, at), 1 << 16);
        expect(parts.join('').startsWith(new TextDecoder().decode(part.body).replace(/\uFFFD$/, ''))).toBe(true);
        if (at < wire.length - 2) expect(part.done).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('-X and -H reach every request of the matrix', () => {
  test('HTTP/1.0, HTTP/1.1 and HTTP/2 all carry the method and the header', async () => {
    const pki = await createLabPki();
    const c = await pki.preset('valid');
    const seen: Array<{ v: string; method: string; probe: string | undefined }> = [];
    const s = http2.createSecureServer({ cert: c.serverCertPem, key: c.keyPem, allowHTTP1: true }, (req, res) => {
      seen.push({ v: req.httpVersion, method: req.method, probe: req.headers['x-probe'] as string | undefined });
      res.end('ok');
    });
    const l = await listen(s, '127.0.0.1');
    try {
      const r = await diagnose(`https://localhost:${l.port}/`, { resolve: [`localhost:${l.port}:127.0.0.1`], ca: pki.rootCa.certPem, proxy: null, method: 'DELETE', headers: [['X-Probe', 'yes']] });
      expect(r.findings.map((f) => f.code)).toEqual([]);
      const versions = new Set(seen.filter((x) => x.method === 'DELETE' && x.probe === 'yes').map((x) => x.v));
      expect(versions).toEqual(new Set(['1.0', '1.1', '2.0']));
      expect(r.matrix?.map((m) => m.protocol)).toEqual(['HTTP/1.0', 'HTTP/1.1', 'HTTP/2']);
    } finally {
      await l.stop();
    }
  });
});
