/**
 * `--survey`'s structured surface (report.tlsSurface) on the lab's healthy TLS server (Node 20,
 * OpenSSL 3 defaults, ECDSA P-256 certificate): valid against docs/report.schema.json, every suite
 * rated from the registry, ALPN answered per version, and fewer connections than one per question.
 * Agreement with sslscan / testssl.sh on real servers: test/nginx-tls.test.ts.
 */
import { describe, expect, test, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import { diagnose } from '../src/diagnose.js';
import { cipherSuite, h2Blocklisted } from '../src/wire/tls/registry.js';

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
      // Elimination, not one hello per question: the survey used to open 62 connections here.
      expect(report.connections).toBeLessThan(45);
    } finally {
      await s.stop();
    }
  }, 60_000);
});
