/**
 * The TLS survey against real nginx servers, checked against the reference scanners on the same
 * server in the same run: versions and cipher suites per version against sslscan, ALPN against
 * testssl.sh. Three differently configured servers. Skips (saying why) when nginx or a scanner is
 * missing; test/setup/tls-tools.sh installs them in CI.
 */
import { describe, expect, test, beforeAll } from 'vitest';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { diagnose } from '../src/diagnose.js';
import type { Probe } from '../src/model/index.js';
import type { TlsSurface } from '../src/model/tls-probes.js';
import { findBinary, startNginx, sslscan, testssl, type NginxTls } from './nginx-helpers.js';
import { skipWithout } from './real-helpers.js';

const HAVE_SSLSCAN = !!findBinary('sslscan');
const HAVE_TESTSSL = !!(findBinary('testssl') ?? findBinary('testssl.sh'));

const SERVERS: Array<{ name: string; cfg: NginxTls; expect: string[] }> = [
  { name: 'modern: TLS 1.2 + 1.3, OpenSSL default suites, http2', cfg: { tls: 'ssl_protocols TLSv1.2 TLSv1.3;', http2: true }, expect: [] },
  {
    name: 'TLS 1.2 only, two suites in server order, no http2',
    cfg: { tls: 'ssl_protocols TLSv1.2;\n    ssl_ciphers ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305;\n    ssl_prefer_server_ciphers on;', http2: false },
    expect: ['tls13-not-supported', 'alpn-no-h2'],
  },
  {
    name: 'TLS 1.0–1.3, SECLEVEL=0 suites, RSA certificate, secp384r1 only, http2',
    cfg: { tls: "ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;\n    ssl_ciphers 'DEFAULT:@SECLEVEL=0';\n    ssl_ecdh_curve secp384r1;", http2: true, rsa: true },
    expect: ['tls-legacy-version-enabled'],
  },
];

let pki: LabPki;
beforeAll(async () => {
  pki = await createLabPki();
});

function surfaceOf(probes: Probe[]): TlsSurface {
  const st = probes.find((p): p is Extract<Probe, { kind: 'tls-stage' }> => p.kind === 'tls-stage');
  expect(st?.stage.surface).toBeDefined();
  return st!.stage.surface!;
}

describe.skipIf(skipWithout(findBinary('nginx'), 'nginx TLS'))('TLS survey against nginx', () => {
  test.each(SERVERS)('$name', async ({ cfg, expect: codes }) => {
    const ng = await startNginx(pki, cfg);
    try {
      const url = `https://localhost:${ng.port}/`;
      const opts = { ca: pki.rootCa.certPem, resolve: [`localhost:${ng.port}:127.0.0.1`], timeoutMs: 3000 };
      // The default diagnosis: exactly the expected codes.
      const plain = await diagnose(url, opts);
      expect(new Set(plain.findings.map((f) => f.code))).toEqual(new Set(codes));
      const report = await diagnose(url, { ...opts, survey: true });
      const surface = surfaceOf(report.probes);
      const ours = {
        versions: surface.versions.filter((v) => v.accepted).map((v) => v.version).sort(),
        ciphers: Object.fromEntries(surface.versions.filter((v) => v.accepted).map((v) => [v.version, [...(v.ciphers ?? [])].sort()])),
        alpn: (surface.alpn ?? []).filter((a) => a.chosen === a.offered[0]).map((a) => a.offered[0]!).sort(),
      };
      if (HAVE_SSLSCAN) {
        const s = sslscan(ng.port).result;
        expect(ours.versions).toEqual(s.versions);
        for (const v of s.versions) expect(ours.ciphers[v]).toEqual([...(s.ciphers[v] ?? [])].sort());
      }
      if (HAVE_TESTSSL) {
        const t = testssl(ng.port, ['-p']).result;
        expect(ours.versions).toEqual(t.versions);
        expect(ours.alpn).toEqual([...(t.alpn ?? [])].sort());
      }
    } finally {
      await ng.stop();
    }
  }, 240_000);
});
