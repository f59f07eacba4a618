/**
 * `--survey`'s structured surface (report.tlsSurface) on the lab's healthy TLS server (Node 20,
 * OpenSSL 3 defaults, ECDSA P-256 certificate): valid against docs/report.schema.json, every suite
 * rated from the registry, ALPN answered per version, and fewer connections than one per question.
 * Agreement with sslscan / testssl.sh on real servers: test/nginx-tls.test.ts.
 */
import { describe, expect, test, beforeAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import { diagnose } from '../src/diagnose.js';
import { cipherSuite, h2Blocklisted } from '../src/wire/tls/registry.js';
import { findBinary, freePort, labDir, runClient, skipWithout, spawnServer } from './real-helpers.js';

const schema = JSON.parse(readFileSync(new URL('../docs/report.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const validate = ajv.compile(schema);

let pki: LabPki;
beforeAll(async () => {
  pki = await createLabPki();
});

describe('--survey: the structured TLS surface', () => {
  test('healthy-tls: versions, rated suites, groups, signature schemes, ALPN per version', async () => {
    const s = await findScenario('healthy-tls')!.start({ pki });
    try {
      const report = await diagnose(s.url, { ca: pki.rootCa.certPem, resolve: s.resolve, survey: true });
      expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
      expect(report.findings).toEqual([]);
      const surface = report.tlsSurface![0]!;
      expect(surface.versions.map((v) => v.version)).toEqual(['TLSv1.3', 'TLSv1.2']);
      expect(surface.refused).toEqual(['TLSv1.1', 'TLSv1', 'SSLv3']);
      const [v13, v12] = surface.versions;
      // Node 20's TLS 1.3 defaults, and every one rated by the registry.
      expect(v13!.suites.map((x) => x.name).sort()).toEqual(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);
      for (const v of surface.versions) {
        for (const x of v.suites) {
          const c = cipherSuite(x.code)!;
          expect(x.name).toBe(c.name);
          expect(x.h2Blocklisted).toBe(h2Blocklisted(x.code));
          expect(x.weak).toBe(c.insecure);
          expect(x.forwardSecrecy).toBe(c.tls13 || c.ephemeral);
        }
        // [h2, http/1.1], [h2] alone, [http/1.1] alone: a node:http2 server with allowHTTP1 takes each.
        expect(v.alpn).toEqual([
          { offered: ['h2', 'http/1.1'], chosen: 'h2' },
          { offered: ['h2'], chosen: 'h2' },
          { offered: ['http/1.1'], chosen: 'http/1.1' },
        ]);
      }
      // The CBC suites Node still enables under TLS 1.2 are on RFC 9113's block list; the GCM ones are not.
      expect(v12!.suites.find((x) => x.name === 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256')?.h2Blocklisted).toBe(false);
      expect(v12!.suites.some((x) => x.h2Blocklisted)).toBe(true);
      expect(surface.groups).toEqual(expect.arrayContaining(['x25519', 'secp256r1', 'secp384r1']));
      expect(surface.signatureAlgorithms).toContain('ecdsa_secp256r1_sha256');
      expect(surface.certificateKey?.type).toMatch(/^EC /);
      expect(surface.noSni).toBe('same-certificate');
      // Elimination, not one hello per question: the survey used to open 62 connections here, then 38;
      // 31 with groups and signature schemes rotated below TLS 1.3 and FFDHE groups read from
      // HelloRetryRequests (one of slack: TLS 1.2 and 1.3 race for the shared groups).
      expect(report.connections).toBeLessThanOrEqual(32);
      // TLS 1.3's own question (every suite and group, ALPN h2 and http/1.1) is the default
      // handshake's: Node's hello with the name got TLS 1.3, so no raw hello asks it again.
      const raw13 = report.probes.filter((p) => p.kind === 'tls-raw' && p.raw.offer.versions.join() === 'TLSv1.3');
      expect(raw13.length).toBeGreaterThan(0);
      expect(raw13.some((p) => p.kind === 'tls-raw' && p.raw.offer.alpn?.join() === 'h2,http/1.1')).toBe(false);
      expect(raw13.map((p) => p.kind === 'tls-raw' && p.label)).not.toContain('survey-TLSv1.3');
    } finally {
      await s.stop();
    }
  }, 60_000);
});

// The certificate without SNI is a hello of its own, never a version's question: Caddy with a per-site
// `tls { protocols tls1.3 }` answers a TLS 1.2 hello without SNI for its default policy (TLS 1.2 on),
// and with SNI refuses it. Ground truth first, from openssl s_client; then the survey must say TLS 1.2
// is refused, as the plain diagnosis does (tls12-not-supported).
const CADDY = findBinary('caddy');
const OPENSSL = findBinary('openssl');
describe.skipIf(skipWithout(CADDY && OPENSSL, 'caddy and openssl'))('--survey on Caddy with a per-site TLS 1.3 policy', () => {
  test('TLS 1.2 refused for the name though accepted without SNI; the survey says refused', async () => {
    const { dir, cert, key } = await labDir(pki, 'survey-caddy');
    const port = await freePort();
    writeFileSync(join(dir, 'Caddyfile'), `{\n  admin off\n  auto_https off\n  storage file_system ${dir}/data\n}\nhttps://localhost:${port} {\n  bind 127.0.0.1\n  tls ${cert} ${key} {\n    protocols tls1.3\n  }\n  respond "ok"\n}\n`);
    const server = await spawnServer('caddy', CADDY!, ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], dir, [port]);
    try {
      const s_client = (args: string) => runClient(`echo | ${OPENSSL} s_client -connect 127.0.0.1:${port} -tls1_2 ${args} 2>&1`);
      expect(await s_client('-servername localhost')).toMatch(/alert|Cipher is \(NONE\)|handshake failure/i);
      expect(await s_client('-noservername')).toMatch(/Protocol\s*:\s*TLSv1\.2/);
      const opts = { ca: pki.rootCa.certPem, resolve: [`localhost:${port}:127.0.0.1`] };
      const report = await diagnose(`https://localhost:${port}/`, { ...opts, survey: true });
      const surface = report.tlsSurface![0]!;
      expect(surface.versions.map((v) => v.version)).toEqual(['TLSv1.3']);
      expect(surface.refused).toContain('TLSv1.2');
      expect(report.findings.map((f) => f.code)).toContain('tls12-not-supported');
    } finally {
      await server.stop();
    }
  }, 60_000);
});
